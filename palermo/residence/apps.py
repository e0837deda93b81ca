from django.apps import AppConfig


class ResidenceConfig(AppConfig):
    name = "palermo.residence"
    label = "residence"
