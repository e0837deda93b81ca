from django.apps import AppConfig


class ChildrenConfig(AppConfig):
    name = "palermo.children"
    label = "children"
