"""The decision deadlines as rows of palermo.deadlines: written from the case's opening and the presumed
victim decision under the active rulebook, done when the decision is taken, never duplicated."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from importlib import import_module
from typing import Any

import psycopg  # noqa: F401  (its C extension must load before freezegun swaps datetime, or it warns)
import pytest
from django.apps import apps as django_apps
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from freezegun import freeze_time

from palermo.access.services import case_team_add, case_team_remove
from palermo.accounts.models import User
from palermo.accounts.roles import Role
from palermo.cases.models import Case
from palermo.core.rulebooks import rulebook
from palermo.deadlines.kinds import kind_for
from palermo.deadlines.models import Deadline
from palermo.deadlines.reminders import announce_due_deadlines
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
from tests.cases.casework import put_on_team
from tests.factories import CaseFactory

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


# --- whose deadline it is ----------------------------------------------------------------------------------


def responsible(case: Case) -> dict[str, int | None]:
    return {row.kind: row.responsible_agency_id for row in Deadline.objects.filter(case=case)}


def test_each_decision_deadline_is_the_deciding_authoritys_not_the_referring_agencys(
    team_case: Case, authority: User, responder: User
) -> None:
    """The responder's agency leads the case it referred; the authority on its team decides."""
    deciding = authority.membership.agency.pk  # type: ignore[attr-defined]
    assert team_case.lead_agency_id == responder.membership.agency.pk  # type: ignore[attr-defined]
    write_decision_deadlines(team_case)
    assert responsible(team_case) == {PRESUMED_KIND: deciding}

    decide(authority, team_case, DecisionKind.PRESUMED)
    assert responsible(team_case) == {PRESUMED_KIND: deciding, IDENTIFIED_KIND: deciding}

    original = IdentificationDecision.objects.get(case=team_case)
    review_request_record(
        actor=authority, membership=authority.membership, original=original, procedure="appeal"
    )
    assert responsible(team_case)[REVIEW_KIND] == deciding


def test_a_case_without_an_authority_on_its_team_leaves_the_decision_to_its_lead(
    make_case: Callable[..., Case], responder: User
) -> None:
    case = make_case(team=(responder,))
    write_decision_deadlines(case)
    assert responsible(case) == {PRESUMED_KIND: case.lead_agency_id}


def test_an_authority_that_also_refers_decides_its_own_referral(
    make_case: Callable[..., Case], make_member: Callable[..., User], authority: User
) -> None:
    """An authority's own referral, with another authority on the team later: the one on the team besides
    the lead decides; the lead decides only where it is the only one."""
    own = make_case(team=(authority,))
    write_decision_deadlines(own)
    assert responsible(own) == {PRESUMED_KIND: own.lead_agency_id}

    other = make_member(Role.IDENTIFICATION_AUTHORITY)
    both = make_case(team=(authority, other))
    write_decision_deadlines(both)
    assert responsible(both) == {PRESUMED_KIND: other.membership.agency.pk}  # type: ignore[attr-defined]


def test_an_open_deadline_written_for_the_lead_is_moved_to_the_authority_on_the_next_write(
    team_case: Case, authority: User
) -> None:
    """Rows written before the rule (for the lead) are put right by the case's next decision write, and
    announced again to the authority."""
    write_decision_deadlines(team_case)
    Deadline.objects.filter(case=team_case).update(
        responsible_agency_id=team_case.lead_agency_id, reminded_on=datetime.date(2026, 3, 1)
    )
    write_decision_deadlines(team_case)
    row = Deadline.objects.get(case=team_case, kind=PRESUMED_KIND)
    assert row.responsible_agency_id == authority.membership.agency.pk  # type: ignore[attr-defined]
    assert row.reminded_on is None


def test_the_decision_kinds_name_the_identification_authority_as_their_deciders() -> None:
    for kind in (PRESUMED_KIND, IDENTIFIED_KIND, REVIEW_KIND):
        assert kind_for(kind).deciders == Role.IDENTIFICATION_AUTHORITY


def make_case_opened(responder: User, authority: User, when: datetime.datetime) -> Case:
    """A referral by the responder to the authority, opened at `when`, its deadlines written then."""
    case = opened_at(CaseFactory(team=(responder, authority)), when)
    with freeze_time(when):
        write_decision_deadlines(case)
    return case


def with_email(user: User) -> User:
    user.email = f"{user.username}@example.org"
    user.save(update_fields=["email"])
    return user


def test_the_daily_reminder_of_a_decision_due_goes_to_the_authority_not_the_referring_case_managers(
    make_member: Callable[..., User], responder: User, authority: User
) -> None:
    """Before, the lead's case managers were told of a decision only the authority can take."""
    referring_manager = with_email(make_member(Role.CASE_MANAGER, agency=responder.membership.agency))  # type: ignore[attr-defined]
    deciding = authority.membership.agency  # type: ignore[attr-defined]
    colleague = with_email(make_member(Role.IDENTIFICATION_AUTHORITY, agency=deciding))
    with_email(authority)
    deciding_manager = with_email(make_member(Role.CASE_MANAGER, agency=deciding))
    case = make_case_opened(responder, authority, FRIDAY)

    with freeze_time(FRIDAY + datetime.timedelta(days=10)):
        announced = announce_due_deadlines()

    assert announced.as_dict() == {"deadlines": 1, "emails": 2, "unannounced": 0}
    told = {address for message in mail.outbox for address in message.to}
    assert told == {authority.email, colleague.email}
    assert referring_manager.email not in told and deciding_manager.email not in told
    assert all(case.reference in message.body for message in mail.outbox)


def test_the_migration_moves_open_rows_written_for_the_lead_to_the_deciding_agency(
    team_case: Case, authority: User
) -> None:
    """Migration 0008 of identification: open rows of each decision kind; done rows stay as they were."""
    moving = import_module("palermo.identification.migrations.0008_decision_deadlines_of_the_deciding_agency")
    deciding = authority.membership.agency.pk  # type: ignore[attr-defined]
    decide(authority, team_case, DecisionKind.PRESUMED)
    original = IdentificationDecision.objects.get(case=team_case)
    review_request_record(
        actor=authority, membership=authority.membership, original=original, procedure="appeal"
    )
    lead = team_case.lead_agency_id
    Deadline.objects.filter(case=team_case).update(responsible_agency_id=lead)

    moving.to_the_deciding_agency(django_apps, None)

    assert responsible(team_case) == {PRESUMED_KIND: lead, IDENTIFIED_KIND: deciding, REVIEW_KIND: deciding}
    fresh = CaseFactory(team=(team_case.opened_by, authority))
    write_decision_deadlines(fresh)
    Deadline.objects.filter(case=fresh).update(responsible_agency_id=fresh.lead_agency_id)
    moving.to_the_deciding_agency(django_apps, None)
    assert responsible(fresh) == {PRESUMED_KIND: deciding}


def test_the_authoritys_own_list_holds_the_decisions_its_role_takes_and_the_referrers_does_not(
    make_member: Callable[..., User], responder: User, authority: User, client_for: Callable[..., Any]
) -> None:
    """What the reminder tells a person of is on their own list ("Due today and overdue") too."""
    deciding = authority.membership.agency  # type: ignore[attr-defined]
    deciding_manager = make_member(Role.CASE_MANAGER, agency=deciding)
    case = make_case_opened(responder, authority, FRIDAY)

    with freeze_time(FRIDAY + datetime.timedelta(days=10)):
        for reader, theirs in ((authority, [PRESUMED_KIND]), (deciding_manager, []), (responder, [])):
            own = due_deadlines(reader.membership, status="overdue")  # type: ignore[attr-defined]
            assert [row.kind for row in own] == theirs, reader.membership.role  # type: ignore[attr-defined]
        home = client_for(authority).get(reverse("core:home"))
    assert home.status_code == 200
    panel = home.content.decode().split('id="panel-due"')[1].split("</section>")[0]
    assert case.reference in panel and "Presumed victim decision" in panel
    assert "the decisions your role takes for your agency" in panel


def test_an_identified_decision_without_a_kept_deadline_still_settles_its_row(
    team_case: Case, authority: User
) -> None:
    """Decisions written before deadlines were kept on them (or loaded in bulk) have none: the row is done,
    due when the rulebook counts it, not left open for a decision already taken."""
    decide(authority, team_case, DecisionKind.PRESUMED)
    decide(authority, team_case, DecisionKind.IDENTIFIED)
    IdentificationDecision.objects.filter(case=team_case).update(due_at=None)
    Deadline.objects.filter(case=team_case).delete()

    write_decision_deadlines(team_case)

    found = rows(team_case)
    assert found[PRESUMED_KIND].done_at is not None and found[IDENTIFIED_KIND].done_at is not None
    presumed = IdentificationDecision.objects.get(case=team_case, kind=DecisionKind.PRESUMED)
    expected = add_days(
        presumed.decided_at,
        rulebook().decisions.identified_victim_days,
        rulebook().decisions.identified_victim_day_kind,
    )
    assert found[IDENTIFIED_KIND].due_at == expected


def test_a_referral_re_routed_to_another_authority_takes_its_open_deadline_along(
    make_member: Callable[..., User], authority: User
) -> None:
    """The lead's case manager moves the referral from one authority to another on the team page: the open
    presumed victim decision deadline becomes the new authority's and is announced to it afresh."""
    manager = make_member(Role.CASE_MANAGER)
    case = CaseFactory(team=(manager, authority))
    write_decision_deadlines(case)
    first = authority.membership.agency  # type: ignore[attr-defined]
    Deadline.objects.filter(case=case).update(reminded_on=datetime.date(2026, 3, 1))
    other = make_member(Role.IDENTIFICATION_AUTHORITY)
    acting = {"actor": manager, "membership": manager.membership, "case": case}  # type: ignore[attr-defined]

    case_team_add(**acting, agency=other.membership.agency, reason="Referred on to the regional office.")  # type: ignore[attr-defined]
    assert responsible(case) == {PRESUMED_KIND: first.pk}  # the first authority still on the team
    case_team_remove(**acting, agency=first, reason="The regional office decides.")

    row = Deadline.objects.get(case=case, kind=PRESUMED_KIND)
    assert row.responsible_agency_id == other.membership.agency.pk  # type: ignore[attr-defined]
    assert row.reminded_on is None


def test_a_person_named_on_the_team_does_not_have_the_authoritys_decision_as_their_own(
    make_member: Callable[..., User], authority: User
) -> None:
    """A case manager named on the team has the case's shared deadlines as their own, not a decision only
    the authority takes (nor is told of it): it stays on their agency's list, with the authority named."""
    manager = make_member(Role.CASE_MANAGER)
    case = CaseFactory(team=(manager, authority))
    put_on_team(case, manager, whole_agency=False)
    write_decision_deadlines(case)
    mine = due_deadlines(manager.membership, status="open")  # type: ignore[attr-defined]
    agency = due_deadlines(manager.membership, scope=Scope.AGENCY, status="open")  # type: ignore[attr-defined]
    assert not mine.filter(case=case).exists()
    assert [row.kind for row in agency.filter(case=case)] == [PRESUMED_KIND]
    assert [row.kind for row in due_deadlines(authority.membership, status="open")] == [PRESUMED_KIND]  # type: ignore[attr-defined]
