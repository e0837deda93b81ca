"""The legal-status chart of a case (the section and the API draw the same): the residence area's applications
and permits, with the reflection period and the identification decisions when those areas are installed."""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone

from palermo.cases.dates import chart_dates
from palermo.cases.facts import shared
from palermo.cases.models import Case
from palermo.core.days import today
from palermo.residence.chart import Chart, IdentificationMark, status_chart


def reflection_dates(case: Case) -> tuple[datetime.date, datetime.date] | None:
    """The reflection period's first and last day (T1), when the reflection area is installed and has one:
    one query for the two dates, not the period with its extensions and entitlements."""
    try:
        from palermo.reflection.selectors import period_dates
    except ImportError:  # the reflection area is optional for this picture
        return None
    return period_dates(case)


def identification_marks(case: Case) -> list[IdentificationMark]:
    """The presumed and identified victim decisions (T1: kind, outcome, day), oldest first."""
    from palermo.identification.selectors import DECISIONS_READ, decisions_of

    # Only kinds, outcomes and days are drawn: not the deciders, agencies and reviews the selector joins, nor
    # the decisions' reasons and the child's views (encrypted, and never drawn). The identification section
    # of the same page may have read the decisions already.
    decisions = shared(case, DECISIONS_READ)
    if decisions is None:
        decisions = decisions_of(case).select_related(None).only("kind", "outcome", "decided_at")
    return [
        IdentificationMark(
            f"{decision.get_kind_display()}: {decision.get_outcome_display()}",
            timezone.localdate(decision.decided_at),
            decision.positive,
        )
        for decision in reversed(list(decisions))
    ]


def legal_status_chart(case: Case, applications: list[Any], permits: list[Any], reader: Any = None) -> Chart:
    """The chart as `reader` (a membership) may see it: the areas' chart sources that depend on the reader
    (proceedings) are asked only with one."""
    return status_chart(
        reflection=reflection_dates(case),
        applications=applications,
        permits=permits,
        today=today(),
        identification=identification_marks(case),
        returns=chart_dates(case, reader),
    )
