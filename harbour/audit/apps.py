from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "harbour.audit"
    label = "audit"

    def ready(self) -> None:
        from . import signals  # noqa: F401  (sign-in events)
