from django.apps import AppConfig


class GraphConfig(AppConfig):
    name = "harbour.graph"
    label = "graph"
    verbose_name = "Entity graph"

    def ready(self) -> None:
        from . import signals
        from .access_rules import register_rules
        from .registry import register_defaults

        register_defaults()
        register_rules()
        signals.connect()
