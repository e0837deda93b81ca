"""The person's residence dates, as their summary states them (palermo.cases.dates): permits until when,
applications and appeals pending since when and due by when."""

from __future__ import annotations

import pytest
from django.utils import timezone

from palermo.cases.dates import DateKind, person_dates
from palermo.residence.selectors import awaited_due_on
from tests.residence.conftest import appeal_refusal, days_ago, decide, lodge

pytestmark = pytest.mark.django_db


def residence_dates(case):
    return [d for d in person_dates(case) if d.kind not in _IDENTIFICATION]


_IDENTIFICATION = {DateKind.PRESUMED_DECISION_PENDING, DateKind.IDENTIFIED_DECISION_PENDING}


def test_pending_applications_say_since_when_and_due_by_when(team_case, manager):
    permit_application = lodge(manager, team_case, lodged_on=days_ago(10))
    asylum = lodge(manager, team_case, "asylum", lodged_on=days_ago(3))
    dates = residence_dates(team_case)
    assert [(d.kind, d.since) for d in dates] == [
        (DateKind.RESIDENCE_APPLICATION_PENDING, days_ago(10)),
        (DateKind.ASYLUM_APPLICATION_PENDING, days_ago(3)),
    ]
    assert [d.on for d in dates] == [awaited_due_on(permit_application), awaited_due_on(asylum)]
    assert all(d.pending for d in dates)


def test_a_granted_permit_states_until_when_and_is_no_longer_pending(team_case, manager, officer):
    application = lodge(manager, team_case, lodged_on=days_ago(10))
    decision = decide(officer, application)
    [permit] = residence_dates(team_case)
    assert permit.kind == DateKind.PERMIT_ENDS and not permit.pending
    assert permit.on == decision.permit.valid_to and permit.on > timezone.localdate()


def test_an_appeal_replaces_the_refused_application(team_case, manager, officer):
    application = lodge(manager, team_case, lodged_on=days_ago(20))
    decide(officer, application, "refused", refusal_ground="other")
    assert residence_dates(team_case) == []
    appeal_refusal(manager, application)
    [appeal] = residence_dates(team_case)
    assert appeal.kind == DateKind.APPEAL_PENDING and appeal.since == days_ago(0)
