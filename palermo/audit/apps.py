from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "palermo.audit"
    label = "audit"
