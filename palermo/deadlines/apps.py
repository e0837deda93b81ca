from django.apps import AppConfig


class DeadlinesConfig(AppConfig):
    name = "palermo.deadlines"
    label = "deadlines"
