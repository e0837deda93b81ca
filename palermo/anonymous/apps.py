from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AnonymousConfig(AppConfig):
    name = "palermo.anonymous"
    label = "anonymous"
    verbose_name = _("Anonymous notifications")
