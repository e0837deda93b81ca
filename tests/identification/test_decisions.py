"""Decisions: only the identification authority, deadlines from the rulebook, reviews, the on-commit hook."""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from palermo.accounts.roles import Role
from palermo.audit.models import AuditEvent
from palermo.cases.models import Case, CaseEvent
from palermo.identification import events
from palermo.identification.deadlines import add_days, decision_deadline
from palermo.identification.models import DecisionKind, IdentificationDecision
from palermo.identification.services.decisions import (
    DecisionInput,
    current_decision,
    decision_take,
)
from palermo.identification.services.reviews import decision_review

pytestmark = pytest.mark.django_db

UTC = datetime.UTC
POSITIVE = DecisionInput(
    "positive", ["indicators", "account"], "The indicators of deception and debt bondage are met."
)
NEGATIVE = DecisionInput(
    "negative", ["elements_not_met"], "The account describes a consensual crossing only."
)


def opened(case: Case, when: datetime.datetime) -> Case:
    Case.objects.filter(pk=case.pk).update(opened_at=when)
    case.refresh_from_db()
    return case


def take(authority, case, kind="presumed", data=POSITIVE):
    return decision_take(actor=authority, membership=authority.membership, case=case, kind=kind, data=data)


@pytest.fixture
def received():
    """Handlers registered for the test only; what they received."""
    seen: list[events.PresumedVictimDecided] = []
    events.on_presumed_victim(seen.append)
    yield seen
    events.remove_presumed_victim_handler(seen.append)


def test_working_and_calendar_days():
    friday = datetime.datetime(2026, 3, 6, 10, 0, tzinfo=UTC)
    assert add_days(friday, 5, "working").date() == datetime.date(2026, 3, 13)
    assert add_days(friday, 1, "working").date() == datetime.date(2026, 3, 9)
    saturday = datetime.datetime(2026, 3, 7, 10, 0, tzinfo=UTC)
    assert add_days(saturday, 1, "working").date() == datetime.date(2026, 3, 9)
    assert add_days(friday, 90, "calendar").date() == datetime.date(2026, 6, 4)
    assert add_days(friday, 5, "working").hour == 10


def test_working_days_skip_the_active_rulebooks_public_holidays(settings):
    thursday = datetime.datetime(2026, 4, 2, 10, 0, tzinfo=UTC)
    assert add_days(thursday, 1, "working").date() == datetime.date(2026, 4, 3)  # osce-2005: no holidays
    settings.PALERMO_RULEBOOK = "gb-msa2015"  # Good Friday and Easter Monday are bank holidays
    assert add_days(thursday, 1, "working").date() == datetime.date(2026, 4, 7)
    # The presumed victim ("reasonable grounds") deadline: 5 working days, counted past both holidays.
    assert decision_deadline("presumed", start=thursday).due_at.date() == datetime.date(2026, 4, 13)


def test_the_local_day_counts(settings):
    settings.TIME_ZONE = "Asia/Tokyo"
    # Friday 23:30 UTC is Saturday morning in Tokyo: the first working day is Monday there.
    late_friday = datetime.datetime(2026, 3, 6, 23, 30, tzinfo=UTC)
    due = add_days(late_friday, 1, "working")
    assert due.astimezone(ZoneInfo("Asia/Tokyo")).date() == datetime.date(2026, 3, 9)


def test_presumed_then_identified_with_their_deadlines(
    team_case, authority, received, django_capture_on_commit_callbacks
):
    case = opened(team_case, datetime.datetime(2026, 3, 6, 9, 0, tzinfo=UTC))  # a Friday
    with django_capture_on_commit_callbacks(execute=True):
        presumed = take(authority, case)
    # osce-2005: 5 working days from the referral.
    assert presumed.due_at == datetime.datetime(2026, 3, 13, 9, 0, tzinfo=UTC)
    assert (presumed.deadline_days, presumed.deadline_day_kind, presumed.rulebook) == (
        5,
        "working",
        "osce-2005",
    )
    assert [e.decision_id for e in received] == [presumed.pk] and received[0].on_review is False
    identified = take(authority, case, "identified")
    # 90 calendar days from the presumed victim decision.
    assert identified.due_at.date() == (presumed.decided_at + datetime.timedelta(days=90)).date()
    assert len(received) == 1  # only a positive presumed victim decision is announced
    assert IdentificationDecision.objects.get(pk=presumed.pk).reasons == POSITIVE.reasons
    assert list(
        AuditEvent.objects.filter(case=case, action="decision.take").values_list("tier", flat=True)
    ) == [4, 4]
    assert CaseEvent.objects.filter(case=case, kind="decision").count() == 2


def test_the_hook_waits_for_the_commit(team_case, authority, received, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        take(authority, team_case)
    # Other areas register their own handlers; this test's is among those waiting.
    assert received == []
    assert [c for c in callbacks if getattr(c, "func", None) == received.append]


def test_a_negative_presumed_decision_starts_nothing(
    team_case, authority, received, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        take(authority, team_case, data=NEGATIVE)
    assert received == []
    with pytest.raises(ValidationError) as refused:
        take(authority, team_case, "identified")
    assert refused.value.code == "no_presumed"


def test_a_reconsideration_that_turns_positive_starts_the_period(
    team_case, authority, received, django_capture_on_commit_callbacks
):
    first = take(authority, team_case, data=NEGATIVE)
    with django_capture_on_commit_callbacks(execute=True):
        review = decision_review(
            actor=authority,
            membership=authority.membership,
            original=first,
            procedure="reconsideration",
            data=DecisionInput(
                "positive", ["new_information", "account"], "New documents confirm the account."
            ),
        )
    # Reviewed with no request recorded before: requested when decided, due under the rulebook from then.
    assert review.reviews == first and review.request.requested_at == review.decided_at
    assert review.due_at == review.request.due_at and review.deadline_days == 30
    assert current_decision(team_case, DecisionKind.PRESUMED) == review
    assert [(e.decision_id, e.on_review) for e in received] == [(review.pk, True)]
    with pytest.raises(ValidationError) as refused:
        decision_review(
            actor=authority,
            membership=authority.membership,
            original=first,
            procedure="appeal",
            data=NEGATIVE,
        )
    assert refused.value.code == "not_current"
    # The identified victim deadline counts from the decision that stands.
    identified = take(authority, team_case, "identified")
    assert identified.due_at.date() == (review.decided_at + datetime.timedelta(days=90)).date()


def test_one_first_decision_per_kind(team_case, authority):
    take(authority, team_case)
    with pytest.raises(ValidationError) as refused:
        take(authority, team_case)
    assert refused.value.code == "taken"


def test_reasons_conditional_on_cooperation_are_refused_and_nothing_is_stored(team_case, authority):
    bad = DecisionInput("negative", ["account"], "Negative because she refused to cooperate with the police.")
    with pytest.raises(ValidationError):
        take(authority, team_case, data=bad)
    with pytest.raises(ValidationError):
        take(authority, team_case, data=DecisionInput("positive", ["cooperation"], "The indicators are met."))
    assert not IdentificationDecision.objects.exists()


@pytest.mark.parametrize(
    "role", [Role.FIRST_RESPONDER, Role.CASE_MANAGER, Role.MIGRATION_OFFICER, Role.GUARDIAN]
)
def test_only_the_identification_authority_decides(make_member, make_case, role):
    user = make_member(role)
    case = make_case(team=(user,))
    with pytest.raises(PermissionDenied):
        take(user, case)


def test_an_authority_off_the_team_does_not_decide(make_member, make_case, authority, responder):
    case = make_case(team=(responder,))
    with pytest.raises(PermissionDenied):
        take(authority, case)


def test_dates_must_make_sense(team_case, authority):
    future = DecisionInput(**{**POSITIVE.__dict__, "decided_at": datetime.datetime(2999, 1, 1, tzinfo=UTC)})
    with pytest.raises(ValidationError):
        take(authority, team_case, data=future)
    before = DecisionInput(
        **{**POSITIVE.__dict__, "decided_at": team_case.opened_at - datetime.timedelta(days=1)}
    )
    with pytest.raises(ValidationError):
        take(authority, team_case, data=before)
