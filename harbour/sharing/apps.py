from django.apps import AppConfig


class SharingConfig(AppConfig):
    name = "harbour.sharing"
    label = "sharing"
    verbose_name = "Referrals, transfers and information sharing"

    def ready(self) -> None:
        from . import hooks
        from .access_rules import register_rules

        register_rules()
        hooks.register()
