from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "palermo.cases"
    label = "cases"
