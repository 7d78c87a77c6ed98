from django.apps import AppConfig


class MaceConfig(AppConfig):
    name = "harbour.mace"
    label = "mace"
    verbose_name = "MACE meetings"

    def ready(self) -> None:
        from . import agenda  # noqa: F401  (registers the agenda sources)
        from .access_rules import register_rules

        register_rules()
