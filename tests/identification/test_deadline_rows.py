"""The decision deadlines as rows of palermo.deadlines: written from the case's opening and the presumed
victim decision under the active rulebook, done when the decision is taken, never duplicated."""

from __future__ import annotations

import datetime

import psycopg  # noqa: F401  (its C extension must load before freezegun swaps datetime, or it warns)
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from freezegun import freeze_time

from palermo.accounts.models import User
from palermo.cases.models import Case
from palermo.core.rulebooks import rulebook
from palermo.deadlines.kinds import kind_for
from palermo.deadlines.models import Deadline
from palermo.deadlines.selectors import Scope, due_deadlines
from palermo.identification.deadlines import (
    IDENTIFIED_KIND,
    PRESUMED_KIND,
    REVIEW_KIND,
    add_days,
    write_decision_deadlines,
)
from palermo.identification.models import (
    DecisionKind,
    DecisionOutcome,
    Ground,
    IdentificationDecision,
    ReviewRequest,
)
from palermo.identification.services.decisions import DecisionInput, decision_take
from palermo.identification.services.reviews import decision_review, review_request_record

pytestmark = pytest.mark.django_db


def decide(authority: User, case: Case, kind: str, outcome: str = DecisionOutcome.POSITIVE) -> None:
    decision_take(
        actor=authority,
        membership=authority.membership,
        case=case,
        kind=kind,
        data=DecisionInput(outcome=outcome, grounds=[Ground.INDICATORS], reasons="Indicators weighed."),
    )


def rows(case: Case) -> dict[str, Deadline]:
    return {row.kind: row for row in Deadline.objects.filter(case=case)}


def test_a_new_case_has_its_presumed_victim_deadline_once(team_case: Case) -> None:
    write_decision_deadlines(team_case)
    write_decision_deadlines(team_case)

    found = rows(team_case)
    assert set(found) == {PRESUMED_KIND}
    expected = add_days(
        team_case.opened_at,
        rulebook().decisions.presumed_victim_days,
        rulebook().decisions.presumed_victim_day_kind,
    )
    assert found[PRESUMED_KIND].due_at == expected
    assert found[PRESUMED_KIND].done_at is None


def test_a_positive_presumed_decision_completes_it_and_opens_the_identified_deadline(
    team_case: Case, authority: User
) -> None:
    write_decision_deadlines(team_case)
    decide(authority, team_case, DecisionKind.PRESUMED)

    found = rows(team_case)
    assert found[PRESUMED_KIND].done_at is not None
    assert found[IDENTIFIED_KIND].done_at is None

    decide(authority, team_case, DecisionKind.IDENTIFIED)
    assert rows(team_case)[IDENTIFIED_KIND].done_at is not None


def test_a_negative_presumed_decision_opens_no_identified_deadline(team_case: Case, authority: User) -> None:
    decide(authority, team_case, DecisionKind.PRESUMED, DecisionOutcome.NEGATIVE)
    assert set(rows(team_case)) == {PRESUMED_KIND}


# --- with the clock moved ----------------------------------------------------------------------------------

FRIDAY = datetime.datetime(2026, 3, 6, 9, 0, tzinfo=datetime.UTC)


def opened_at(case: Case, when: datetime.datetime) -> Case:
    Case.objects.filter(pk=case.pk).update(opened_at=when)
    case.refresh_from_db()
    return case


def test_the_presumed_deadline_falls_due_and_is_overdue_on_the_screen(
    team_case: Case, authority: User
) -> None:
    case = opened_at(team_case, FRIDAY)
    with freeze_time(FRIDAY + datetime.timedelta(hours=1)):
        write_decision_deadlines(case)
    row = rows(case)[PRESUMED_KIND]
    # osce-2005: five working days from the referral, the weekend skipped.
    assert row.due_at == datetime.datetime(2026, 3, 13, 9, 0, tzinfo=datetime.UTC)
    with freeze_time(datetime.datetime(2026, 3, 16, 9, 0, tzinfo=datetime.UTC)):
        overdue = due_deadlines(authority.membership, scope=Scope.AGENCY, status="overdue")
        assert list(overdue.values_list("kind", flat=True)) == [PRESUMED_KIND]
        decide(authority, case, DecisionKind.PRESUMED)
        assert not due_deadlines(authority.membership, scope=Scope.AGENCY, status="overdue").exists()
    row.refresh_from_db()
    assert row.done_at == datetime.datetime(2026, 3, 16, 9, 0, tzinfo=datetime.UTC)


def review(
    authority: User, original: IdentificationDecision, outcome: str, procedure: str = "reconsideration"
):
    return decision_review(
        actor=authority,
        membership=authority.membership,
        original=original,
        procedure=procedure,
        data=DecisionInput(
            outcome=outcome, grounds=[Ground.NEW_INFORMATION], reasons="New documents weighed."
        ),
    )


def test_a_review_request_is_due_under_the_rulebook_and_done_by_its_review(
    team_case: Case, authority: User
) -> None:
    case = opened_at(team_case, FRIDAY)
    with freeze_time(FRIDAY + datetime.timedelta(days=1)):
        decide(authority, case, DecisionKind.PRESUMED, DecisionOutcome.NEGATIVE)
    original = IdentificationDecision.objects.get(case=case)
    requested = FRIDAY + datetime.timedelta(days=3)
    with freeze_time(requested):
        request = review_request_record(
            actor=authority, membership=authority.membership, original=original, procedure="appeal"
        )
    # osce-2005: 30 calendar days from the request.
    assert (request.due_at, request.deadline_days, request.deadline_day_kind) == (
        requested + datetime.timedelta(days=30),
        30,
        "calendar",
    )
    row = Deadline.objects.get(kind=REVIEW_KIND, source_id=str(request.pk))
    assert row.due_at == request.due_at and row.done_at is None
    with freeze_time(requested + datetime.timedelta(days=31)):
        assert request.overdue
        with pytest.raises(ValidationError) as wrong:
            review(authority, original, DecisionOutcome.POSITIVE, procedure="reconsideration")
        assert wrong.value.code == "procedure"
        decided = review(authority, original, DecisionOutcome.POSITIVE, procedure="appeal")
    # The review carries the deadline it had, like a first decision, and answered the request.
    assert decided.due_at == request.due_at and decided.late
    row.refresh_from_db()
    assert row.done_at == decided.decided_at
    # Positive on appeal: the identified victim decision is now due, from the review.
    identified = rows(case)[IDENTIFIED_KIND]
    assert (
        identified.done_at is None
        and identified.due_at.date() == (decided.decided_at + datetime.timedelta(days=90)).date()
    )


def test_one_open_request_per_decision_and_never_before_it(team_case: Case, authority: User) -> None:
    decide(authority, team_case, DecisionKind.PRESUMED)
    original = IdentificationDecision.objects.get(case=team_case)
    with pytest.raises(ValidationError) as early:
        review_request_record(
            actor=authority,
            membership=authority.membership,
            original=original,
            procedure="appeal",
            requested_at=original.decided_at - datetime.timedelta(days=1),
        )
    assert early.value.code == "before"
    review_request_record(
        actor=authority, membership=authority.membership, original=original, procedure="appeal"
    )
    with pytest.raises(ValidationError) as twice:
        review_request_record(
            actor=authority, membership=authority.membership, original=original, procedure="reconsideration"
        )
    assert twice.value.code == "requested"
    assert ReviewRequest.objects.count() == 1


def test_a_presumed_decision_turned_negative_cancels_the_open_identified_deadline(
    team_case: Case, authority: User
) -> None:
    decide(authority, team_case, DecisionKind.PRESUMED)
    assert IDENTIFIED_KIND in rows(team_case)
    review(authority, IdentificationDecision.objects.get(case=team_case), DecisionOutcome.NEGATIVE)
    assert IDENTIFIED_KIND not in rows(team_case)


def test_only_the_authority_records_a_request(team_case: Case, authority: User, responder: User) -> None:
    decide(authority, team_case, DecisionKind.PRESUMED)
    with pytest.raises(PermissionDenied):
        review_request_record(
            actor=responder,
            membership=responder.membership,
            original=IdentificationDecision.objects.get(case=team_case),
            procedure="appeal",
        )


def test_the_kinds_are_registered_with_the_decisions_page() -> None:
    for key in (PRESUMED_KIND, IDENTIFIED_KIND, REVIEW_KIND):
        assert kind_for(key).url_name == "identification:decisions" and str(kind_for(key).label) != key
