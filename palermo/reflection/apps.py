from django.apps import AppConfig


class ReflectionConfig(AppConfig):
    name = "palermo.reflection"
    label = "reflection"
