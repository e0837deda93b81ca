"""Times from referral to decision: the median and the 90th percentile computed by the database
(percentile_cont on PostgreSQL; SQLite ranks the durations), withheld under the threshold; and a compliance
indicator counting the late decisions by quarter."""

from __future__ import annotations

import datetime
from typing import Any

import pytest

from palermo.identification.models import DecisionKind, DecisionOutcome, IdentificationDecision
from palermo.statistics.compliance import measure
from palermo.statistics.measures import decision_times
from tests.factories import UserFactory
from tests.statistics.statistics_data import populate

pytestmark = pytest.mark.django_db
DAY = datetime.timedelta(days=1)


def _decide(cases: list[Any], days: list[int]) -> None:
    user = UserFactory()
    for case, wait in zip(cases, days, strict=True):
        IdentificationDecision.objects.create(
            case=case,
            kind=DecisionKind.PRESUMED,
            outcome=DecisionOutcome.POSITIVE,
            grounds=[],
            reasons="synthetic",
            decided_by=user,
            agency=case.lead_agency,
            decided_at=case.opened_at + wait * DAY,
            due_at=case.opened_at + 5 * DAY,
        )


def test_median_and_90th_percentile_in_days() -> None:
    cases = populate(12)
    for case in cases:
        case.refresh_from_db()
    _decide(cases, list(range(1, 13)))  # 1..12 days
    presumed, identified = decision_times(datetime.date(2030, 1, 1), 11, year=None, group=None)
    assert presumed.persons == 12 and not presumed.withheld
    assert presumed.median == pytest.approx(6.5)
    assert presumed.p90 == pytest.approx(10.9)  # percentile_cont: 10 + 0.9 * (11 - 10)
    assert identified.persons == 0 and identified.median is None
    small = decision_times(datetime.date(2030, 1, 1), 13, year=None, group=None)[0]
    assert small.withheld and small.median is None and small.p90 is None


def test_late_decisions_by_quarter_are_protected() -> None:
    cases = populate(30, seed=3)
    for case in cases:
        case.refresh_from_db()
    _decide(cases, [2] * 10 + [9] * 20)
    late = next(m for m in measure(datetime.date(2030, 1, 1), 11) if m.indicator.key == "presumed-late")
    assert late.measured and late.quarters
    for figure in late.quarters:
        assert figure.total is None or figure.total == 0 or figure.total >= 11
        assert figure.short is None or figure.short == 0 or figure.short >= 11
