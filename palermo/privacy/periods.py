"""When a closed case's retention period ends, as the active rulebook counts it ([retention]: a period after
each closed state). The retention run anonymises a case on the day its period ends; the data protection
officer sees the cases whose day is near, to place a legal hold on those whose data must be kept."""

from __future__ import annotations

import datetime

from django.utils import timezone

from palermo.cases.models import Case
from palermo.cases.reference import CaseStatus
from palermo.core.rulebooks import Period, rulebook

CLOSED_STATES = (CaseStatus.CLOSED, CaseStatus.CLOSED_REFERRED)


def retention_period(status: str) -> Period:
    retention = rulebook().retention
    return retention.closed_referred if status == CaseStatus.CLOSED_REFERRED else retention.closed


def retention_ends(case: Case) -> datetime.date | None:
    """The day the case's retention period ends, when that day's run anonymises it; None while it is open."""
    if case.status not in CLOSED_STATES or case.closed_at is None:
        return None
    return retention_period(case.status).end(timezone.localdate(case.closed_at))


def expired(case: Case, today: datetime.date) -> bool:
    ends = retention_ends(case)
    return ends is not None and ends <= today


def closed_early_enough(day: datetime.date) -> datetime.datetime:
    """A bound on when a case must have closed for its period to end by `day`: the shortest period, counted
    in its fewest days (a month is at least 28). Periods are calendar months, which SQL does not count alike
    on every database: a query takes the cases closed by this bound, and `retention_ends` checks each."""
    fewest_days = [
        period.days if period.days is not None else 28 * (period.months or 0)
        for period in (retention_period(status) for status in CLOSED_STATES)
    ]
    shortest = min(fewest_days)
    start_of_day = timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))
    return start_of_day - datetime.timedelta(days=shortest)
