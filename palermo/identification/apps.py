from django.apps import AppConfig


class IdentificationConfig(AppConfig):
    name = "palermo.identification"
    label = "identification"
