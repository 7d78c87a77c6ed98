from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "harbour.notifications"
    label = "notifications"
    verbose_name = "Notifications"

    def ready(self) -> None:
        from .access_rules import register_rules

        register_rules()
