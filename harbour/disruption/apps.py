from django.apps import AppConfig


class DisruptionConfig(AppConfig):
    name = "harbour.disruption"
    label = "disruption"
    verbose_name = "Disruption"

    def ready(self) -> None:
        from .access_rules import register_rules
        from .selectors import register_timeline

        register_rules()
        register_timeline()
