from django.apps import AppConfig


class IntelConfig(AppConfig):
    name = "harbour.intel"
    label = "intel"
    verbose_name = "Intelligence"

    def ready(self) -> None:
        from .access_rules import register_rules

        register_rules()
