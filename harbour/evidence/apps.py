from django.apps import AppConfig


class EvidenceConfig(AppConfig):
    name = "harbour.evidence"
    label = "evidence"
    verbose_name = "Digital evidence"

    def ready(self) -> None:
        from .access_rules import register_rules

        register_rules()
