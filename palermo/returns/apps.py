from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReturnsConfig(AppConfig):
    name = "palermo.returns"
    label = "returns"
    verbose_name = _("Return, resettlement and transfers abroad")

    def ready(self) -> None:
        from palermo.cases.dates import register_chart_source
        from palermo.cases.facts import register_case_reads
        from palermo.cases.sections import register_section
        from palermo.deadlines.kinds import register_kind
        from palermo.returns import selectors
        from palermo.returns.services.returns import FOLLOWUP_KIND
        from palermo.returns.views.section import section_context

        register_case_reads("returns", selectors.page_reads)
        register_chart_source(selectors.chart_dates)
        register_section("returns", "returns/section.html", section_context, order=60)

        register_kind(
            FOLLOWUP_KIND, _("Follow-up contact after the person's return"), url_name="returns:section"
        )
        # Its return and resettlement decisions cite country-of-origin information (palermo.origin, 0036).
        from palermo.origin.citations import register_decision_kind
        from palermo.returns.citing import RESETTLEMENT_DECISION, RETURN_DECISION

        register_decision_kind(RETURN_DECISION)
        register_decision_kind(RESETTLEMENT_DECISION)
