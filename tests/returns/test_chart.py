"""The legal-status chart (residence) draws a planned return and the follow-ups after one, through the
chart-dates registry of palermo.cases.dates; nothing of the kind on a case without a return."""

from __future__ import annotations

import pytest
from django.utils import timezone

from palermo.accounts.models import User
from palermo.cases.dates import DateKind, chart_dates
from palermo.cases.models import Case
from palermo.residence.chart import RETURN_LANE
from palermo.residence.legal_status import legal_status_chart
from palermo.returns.services.returns import return_arrived, return_clear, return_plan
from tests.returns.conftest import assess_risk
from tests.returns.test_return import partner_says, request, who

pytestmark = pytest.mark.django_db


def test_planned_return_then_followups_on_the_chart(manager: User, protector: User, adult_case: Case) -> None:
    assert RETURN_LANE not in legal_status_chart(adult_case, [], []).lanes
    today = timezone.localdate()
    assess_risk(protector, adult_case, "low")
    record = partner_says(manager, request(manager, adult_case))
    record = return_plan(
        **who(manager), voluntary_return=record, travel_on=today, expected_version=record.version
    )
    chart = legal_status_chart(adult_case, [], [])
    assert chart.lanes[-1] == RETURN_LANE
    assert [str(m.label) for m in chart.markers] == [str(DateKind.RETURN_PLANNED.label)]
    record = return_clear(**who(manager), voluntary_return=record, expected_version=record.version)
    return_arrived(
        **who(manager), voluntary_return=record, returned_on=today, expected_version=record.version
    )
    kinds = [d.kind for d in chart_dates(adult_case)]
    assert kinds and set(kinds) == {DateKind.RETURN_FOLLOWUP}
    assert len(legal_status_chart(adult_case, [], []).markers) == len(kinds)
