from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "harbour.people"
    label = "people"

    def ready(self) -> None:
        from .access_rules import register_rules

        register_rules()
