from django.apps import AppConfig


class MissingConfig(AppConfig):
    name = "harbour.missing"
    label = "missing"
    verbose_name = "Missing children and police protection"

    def ready(self) -> None:
        from . import selectors
        from .access_rules import register_rules

        register_rules()
        selectors.register_timeline()
        selectors.register_person_panel()
