from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from palermo.accounts.models import Membership


def register_duties() -> None:
    """This area's timeline entries and deadlines, only for a duty that opens their part (decision 0034)."""
    from palermo.access.matrix import JusticePart, justice_reads
    from palermo.cases.duties import register_duty_deadline_kind, register_duty_timeline_kind
    from palermo.cases.models import EventKind
    from palermo.justice.services.common import HEARING_KIND, MEASURES_REQUEST_KIND, RISK_REVIEW_KIND

    def reads(part: JusticePart) -> Callable[[Membership], bool]:
        return lambda membership: part in justice_reads(membership.role)

    register_duty_timeline_kind(EventKind.RISK, reads(JusticePart.RISK))
    register_duty_timeline_kind(EventKind.PROCEEDINGS, reads(JusticePart.PROCEEDINGS))
    register_duty_deadline_kind(RISK_REVIEW_KIND, reads(JusticePart.RISK))
    register_duty_deadline_kind(HEARING_KIND, reads(JusticePart.PROCEEDINGS))
    register_duty_deadline_kind(MEASURES_REQUEST_KIND, reads(JusticePart.PROCEEDINGS))


class JusticeConfig(AppConfig):
    name = "palermo.justice"
    label = "justice"
    verbose_name = _("Protection in proceedings")

    def ready(self) -> None:
        from palermo.cases.dates import register_date_source, register_reader_chart_source
        from palermo.cases.sections import register_section
        from palermo.deadlines.kinds import register_kind
        from palermo.justice.selectors import chart_dates, person_dates
        from palermo.justice.services.common import HEARING_KIND, MEASURES_REQUEST_KIND, RISK_REVIEW_KIND
        from palermo.justice.views.section import section_context

        register_section("justice", "justice/section.html", section_context, order=48)
        register_date_source(person_dates)
        # Hearings and protection measures on the legal-status chart, for readers of this area only.
        register_reader_chart_source(chart_dates)
        register_kind(RISK_REVIEW_KIND, _("Risk assessment: review due"), "justice:section")
        register_duties()
        register_kind(HEARING_KIND, _("Hearing: record it as held, put off or cancelled"), "justice:section")
        register_kind(
            MEASURES_REQUEST_KIND, _("Hearing: ask for the protective measures now"), "justice:section"
        )
