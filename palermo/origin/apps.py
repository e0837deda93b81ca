from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OriginConfig(AppConfig):
    name = "palermo.origin"
    label = "origin"
    verbose_name = _("Country-of-origin information and partners")
