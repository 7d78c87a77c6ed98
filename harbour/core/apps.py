from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "harbour.core"
    label = "core"
