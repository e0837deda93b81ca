"""The individual risk assessment and protection plan: review deadlines from the rulebook, triggering events,
the current assessment other areas read, and who may assess."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from palermo.cases.models import CaseEvent, EventKind
from palermo.core.periods import add_days
from palermo.core.rulebooks import rulebook
from palermo.deadlines.models import Deadline
from palermo.justice.models import MeasureStatus, RiskLevel, RiskTrigger
from palermo.justice.selectors import current_risk_assessment
from palermo.justice.services.common import RISK_REVIEW_KIND
from palermo.justice.services.risk import protection_measure_update, risk_review_now
from tests.justice.conftest import add_measure, assess, days_ago, member

pytestmark = pytest.mark.django_db


def test_a_completed_assessment_is_current_until_its_review_day(team_case, protector):
    assert current_risk_assessment(team_case) is None
    assessment = assess(protector, team_case, "medium", assessed_on=days_ago(10))
    assert assessment.review_on == add_days(days_ago(10), rulebook().justice.risk_review_days)
    current = current_risk_assessment(team_case)
    assert current == assessment and current.overall_level == RiskLevel.MEDIUM
    assert RiskLevel.values == ["low", "medium", "high"]
    deadline = Deadline.objects.get(kind=RISK_REVIEW_KIND, case=team_case)
    assert deadline.due_at.date() == assessment.review_on
    assert CaseEvent.objects.filter(case=team_case, kind=EventKind.RISK).count() == 1


def test_an_overdue_assessment_is_not_current(team_case, protector):
    assess(protector, team_case, assessed_on=days_ago(rulebook().justice.risk_review_days + 1))
    assert current_risk_assessment(team_case) is None


def test_a_draft_is_not_current_and_a_new_assessment_answers_the_old_review(team_case, protector):
    first = assess(protector, team_case, "high", assessed_on=days_ago(20))
    assess(protector, team_case, "low", completed=False)
    assert current_risk_assessment(team_case) == first
    second = assess(protector, team_case, "low", trigger=RiskTrigger.SIGHTING)
    assert current_risk_assessment(team_case) == second
    open_reviews = Deadline.objects.filter(kind=RISK_REVIEW_KIND, case=team_case, done_at__isnull=True)
    assert [d.source_id for d in open_reviews] == [str(second.pk)]


def test_a_triggering_event_calls_for_a_review_at_once(team_case, protector):
    assessment = assess(protector, team_case, assessed_on=days_ago(3))
    risk_review_now(
        actor=protector, membership=member(protector), case=team_case, trigger=RiskTrigger.HEARING
    )
    assessment.refresh_from_db()
    assert assessment.review_on == days_ago(0)
    assert current_risk_assessment(team_case) == assessment  # due today, not yet overdue


@pytest.mark.parametrize("who", ["prosecutor", "manager", "officer", "lawyer"])
def test_only_the_protection_officer_assesses(team_case, who, request):
    user = request.getfixturevalue(who)
    with pytest.raises(PermissionDenied):
        assess(user, team_case)


def test_ratings_are_checked(team_case, protector):
    with pytest.raises(ValidationError):
        assess(protector, team_case, ratings=[{"factor": "weather", "level": "high"}])
    with pytest.raises(ValidationError):
        assess(protector, team_case, ratings=[{"factor": "stigma", "level": "low"}] * 2)


def test_the_plan_records_measures_and_their_end(team_case, protector):
    assess(protector, team_case)
    measure = add_measure(protector, team_case, kind="safe_accommodation", where="Secret address 12")
    assert measure.assessment is not None and measure.where == "Secret address 12"
    ended = protection_measure_update(
        actor=protector,
        membership=member(protector),
        measure=measure,
        status=MeasureStatus.ENDED,
        ends_on=None,
        expected_version=measure.version,
    )
    assert ended.status == MeasureStatus.ENDED and ended.ends_on == days_ago(0)
