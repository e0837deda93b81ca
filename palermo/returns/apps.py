from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReturnsConfig(AppConfig):
    name = "palermo.returns"
    label = "returns"
    verbose_name = _("Return, resettlement and transfers abroad")

    def ready(self) -> None:
        from palermo.deadlines.kinds import register_kind
        from palermo.returns.services.returns import FOLLOWUP_KIND

        register_kind(
            FOLLOWUP_KIND, _("Follow-up contact after the person's return"), url_name="returns:section"
        )
