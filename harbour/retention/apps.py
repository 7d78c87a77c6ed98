from django.apps import AppConfig


class RetentionConfig(AppConfig):
    name = "harbour.retention"
    label = "retention"
    verbose_name = "Retention and subject access"

    def ready(self) -> None:
        from . import registry
        from .access_rules import register_rules

        register_rules()
        registry.register_builtins()
