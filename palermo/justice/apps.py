from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class JusticeConfig(AppConfig):
    name = "palermo.justice"
    label = "justice"
    verbose_name = _("Protection in proceedings")

    def ready(self) -> None:
        from palermo.deadlines.kinds import register_kind
        from palermo.justice.services.common import RISK_REVIEW_KIND

        register_kind(RISK_REVIEW_KIND, _("Risk assessment: review due"), "justice:section")
