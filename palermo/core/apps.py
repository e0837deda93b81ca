from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "palermo.core"
    label = "core"
