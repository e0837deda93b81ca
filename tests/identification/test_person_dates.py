"""The identification decisions the person waits for, as their summary states them (palermo.cases.dates)."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from palermo.cases.dates import DateKind, person_dates
from palermo.cases.models import Case, Phase
from palermo.identification.services.decisions import DecisionInput, decision_take
from palermo.identification.services.reviews import review_request_record

pytestmark = pytest.mark.django_db


def take(authority, case, kind, outcome):
    grounds = ["indicators"] if outcome == "positive" else ["elements_not_met"]
    data = DecisionInput(outcome, grounds, "Reasons stated for the synthetic case.")
    return decision_take(actor=authority, membership=authority.membership, case=case, kind=kind, data=data)


def test_a_referred_case_waits_for_the_presumed_victim_decision_since_the_referral(team_case):
    [waiting] = person_dates(team_case)
    assert waiting.kind == DateKind.PRESUMED_DECISION_PENDING and waiting.pending
    assert waiting.since == timezone.localdate(team_case.opened_at)
    # Due by the rulebook's day from the referral (osce-2005: a presumed decision within days, not never).
    assert waiting.on is not None and waiting.on > waiting.since


def test_after_a_positive_presumed_decision_the_identified_one_is_awaited(team_case, authority):
    presumed = take(authority, team_case, "presumed", "positive")
    [waiting] = person_dates(team_case)
    assert waiting.kind == DateKind.IDENTIFIED_DECISION_PENDING
    assert waiting.since == timezone.localdate(presumed.decided_at)


def test_a_review_asked_for_is_pending_until_its_due_day(team_case, authority):
    negative = take(authority, team_case, "presumed", "negative")
    assert person_dates(team_case) == []  # a negative decision stands: nothing is awaited
    request = review_request_record(
        actor=authority, membership=authority.membership, original=negative, procedure="appeal"
    )
    [review] = person_dates(team_case)
    assert review.kind == DateKind.REVIEW_PENDING
    assert review.since == timezone.localdate(request.requested_at)
    assert review.on == timezone.localdate(request.due_at)
    assert review.on - review.since == datetime.timedelta(days=30)  # osce-2005: 30 calendar days


def test_a_closed_case_waits_for_nothing(team_case):
    Case.objects.filter(pk=team_case.pk).update(phase=Phase.CLOSED)
    team_case.refresh_from_db()
    assert person_dates(team_case) == []
