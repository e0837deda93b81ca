from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "palermo.portal"
    label = "portal"
    verbose_name = _("Public portal")

    def ready(self) -> None:
        from palermo.portal import notices  # noqa: F401  (registers the notice kind)
