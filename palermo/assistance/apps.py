from django.apps import AppConfig


class AssistanceConfig(AppConfig):
    name = "palermo.assistance"
    label = "assistance"
