"""The person's own dates: what the person is waiting for and until when they hold a right, from every area.

The person's summary (assistance) tells the person the end of their reflection period, how long their permits
are valid, and which decisions and applications about them are pending. Each of those facts belongs to another
area (reflection, residence, identification), and the summary's area may not import them (architecture:
layers). So each area registers a *source* here from its AppConfig.ready(): a function taking the case and
answering its dates. A date has a kind, from the closed list below, so that the summary can say it in the
person's words and language; staff-facing labels are the kinds' own.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _

from palermo.cases.models import Case
from palermo.core.registry import Registry


class DateKind(models.TextChoices):
    REFLECTION_ENDS = "reflection_ends", _("Reflection and recovery period ends")
    PERMIT_ENDS = "permit_ends", _("Residence permit valid until")
    PRESUMED_DECISION_PENDING = "presumed_decision_pending", _("Presumed-victim decision pending")
    IDENTIFIED_DECISION_PENDING = "identified_decision_pending", _("Identified-victim decision pending")
    REVIEW_PENDING = "review_pending", _("Review of an identification decision pending")
    RESIDENCE_APPLICATION_PENDING = "residence_application_pending", _("Residence application pending")
    ASYLUM_APPLICATION_PENDING = "asylum_application_pending", _("Asylum application pending")
    APPEAL_PENDING = "appeal_pending", _("Appeal pending")
    RETURN_PLANNED = "return_planned", _("Voluntary return planned")
    RETURN_FOLLOWUP = "return_followup", _("Follow-up contact after return")
    HEARING = "hearing", _("Hearing in proceedings")
    PROTECTION_ENDS = "protection_ends", _("Protection measure in place until")


# Kinds that are a day set (a right that ends, a hearing), not a decision awaited since a request.
DAYS_SET = frozenset(
    {DateKind.REFLECTION_ENDS, DateKind.PERMIT_ENDS, DateKind.PROTECTION_ENDS, DateKind.HEARING}
)


@dataclass(frozen=True)
class PersonDate:
    """One of the person's dates. `on` is the day a right ends or a decision is due (None: no day is set);
    `since` the day a pending decision or application was asked for (None where it does not apply)."""

    kind: DateKind
    on: datetime.date | None = None
    since: datetime.date | None = None

    @property
    def pending(self) -> bool:
        return self.kind not in DAYS_SET


DateSource = Callable[[Case], Iterable[PersonDate]]
_sources: Registry[DateSource] = Registry()
register_date_source = _sources.add
remove_date_source = _sources.remove


# Sources of dates the legal-status chart draws beside the residence area's own (a planned return and its
# follow-ups, from the returns area, which the residence area may not import): registered apart, so drawing
# the chart asks only them, and the person's summary keeps its own list.
_chart_sources: Registry[DateSource] = Registry()
register_chart_source = _chart_sources.add
remove_chart_source = _chart_sources.remove


# Sources whose dates depend on who reads the chart (hearings and protection measures, from the justice area,
# which a residence decider must never see: docs/decisions/0034): called with the reader's membership, and
# never when the chart has no reader.
ReaderChartSource = Callable[[Case, Any], Iterable[PersonDate]]
_reader_chart_sources: Registry[ReaderChartSource] = Registry()
register_reader_chart_source = _reader_chart_sources.add
remove_reader_chart_source = _reader_chart_sources.remove


def chart_dates(case: Case, reader: Any = None) -> list[PersonDate]:
    """The dates of the chart's sources, by day (those without a day last); the reader's own sources only for
    a reader (a membership)."""
    dates = [date for source in _chart_sources for date in source(case)]
    if reader is not None:
        dates += [date for source in _reader_chart_sources for date in source(case, reader)]
    return sorted(dates, key=lambda d: (d.on or datetime.date.max, d.kind))


def person_dates(case: Case) -> list[PersonDate]:
    """Every registered area's dates for the case: rights that end first (soonest first), then what is pending
    (the oldest request first)."""
    dates = [date for source in _sources for date in source(case)]
    ends = sorted((d for d in dates if not d.pending), key=lambda d: (d.on or datetime.date.max, d.kind))
    waits = sorted((d for d in dates if d.pending), key=lambda d: (d.since or datetime.date.max, d.kind))
    return ends + waits
