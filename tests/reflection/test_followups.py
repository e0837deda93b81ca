"""What follows from the period: the case moves to the reflection phase when the period opens (as the opener,
when the lifecycle lets them), and the end deadline, which prompts the identified victim decision or a
residence permit before protection runs out, is done when either is recorded."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from palermo.accounts.roles import Role
from palermo.audit.models import AuditEvent
from palermo.cases.models import Case, CaseEvent, Phase
from palermo.deadlines.models import Deadline
from palermo.identification.services.decisions import DecisionInput, decision_take
from palermo.reflection.services.periods import period_extend
from palermo.residence.services.applications import ApplicationInput, application_lodge
from palermo.residence.services.decisions import DecisionInput as ResidenceDecision
from palermo.residence.services.decisions import decision_record
from tests.reflection.conftest import decide, request_period

pytestmark = pytest.mark.django_db

NEGATIVE = DecisionInput("negative", ["elements_not_met"], "The account describes a consensual crossing.")


def end_deadline(case: Case) -> Deadline:
    return Deadline.objects.get(case=case, kind="reflection.end")


def phase_of(case: Case) -> str:
    case.refresh_from_db()
    return case.phase


# --- the phase ---


def test_a_period_on_request_moves_the_case_to_reflection_as_the_requester(team_case, manager):
    assert phase_of(team_case) == Phase.IDENTIFICATION
    request_period(manager, team_case)
    assert phase_of(team_case) == Phase.REFLECTION
    moved = AuditEvent.objects.get(case=team_case, action="case.start_reflection")
    assert moved.actor_id == manager.pk
    assert CaseEvent.objects.filter(case=team_case, kind="status", actor=manager).count() == 1


def test_a_decision_moves_the_case_as_its_decider(team_case, authority, django_capture_on_commit_callbacks):
    decide(authority, team_case, django_capture_on_commit_callbacks)
    assert phase_of(team_case) == Phase.REFLECTION
    moved = AuditEvent.objects.get(case=team_case, action="case.start_reflection")
    assert (moved.actor_id, moved.agency_id, moved.role) == (
        authority.pk,
        authority.membership.agency_id,
        Role.IDENTIFICATION_AUTHORITY,
    )


def test_an_opener_the_lifecycle_refuses_leaves_the_phase(team_case, responder, make_member, make_case):
    request_period(responder, team_case)  # first responders do not move phases
    assert phase_of(team_case) == Phase.IDENTIFICATION
    officer = make_member(Role.MIGRATION_OFFICER)
    case = make_case(team=(responder, officer))
    request_period(officer, case)
    assert phase_of(case) == Phase.IDENTIFICATION
    assert not AuditEvent.objects.filter(action="case.start_reflection").exists()
    assert not CaseEvent.objects.filter(kind="status").exists()


def test_a_case_past_identification_keeps_its_phase(team_case, manager):
    Case.objects.filter(pk=team_case.pk).update(phase=Phase.ASSISTANCE)
    request_period(manager, team_case)
    assert phase_of(team_case) == Phase.ASSISTANCE
    assert not AuditEvent.objects.filter(action="case.start_reflection").exists()


# --- the end deadline ---


def identified(authority, case, capture, data=NEGATIVE):
    with capture(execute=True):
        return decision_take(
            actor=authority, membership=authority.membership, case=case, kind="identified", data=data
        )


def test_the_identified_decision_completes_the_end_deadline(
    team_case, authority, clock, django_capture_on_commit_callbacks
):
    decide(authority, team_case, django_capture_on_commit_callbacks)  # opens the period
    deadline = end_deadline(team_case)
    assert deadline.done_at is None  # a presumed victim decision is not what the end prompts
    clock.advance(days=60)
    identified(authority, team_case, django_capture_on_commit_callbacks)  # negative: any outcome will do
    deadline.refresh_from_db()
    assert deadline.done_at is not None
    assert timezone.localtime(deadline.done_at).date() == timezone.localdate()


def test_an_extension_after_the_decision_does_not_bring_the_prompt_back(
    team_case, manager, authority, clock, django_capture_on_commit_callbacks
):
    period = request_period(manager, team_case)
    decide(authority, team_case, django_capture_on_commit_callbacks)
    clock.advance(days=30)
    identified(authority, team_case, django_capture_on_commit_callbacks)
    period.refresh_from_db()
    period_extend(
        actor=manager,
        membership=manager.membership,
        period=period,
        days=10,
        reason="Treatment continues.",
        expected_version=period.version,
    )
    deadline = end_deadline(team_case)
    assert deadline.done_at is not None
    assert timezone.localtime(deadline.due_at).date() == period.ends_on + datetime.timedelta(days=10)


def test_without_a_decision_the_end_deadline_stays_open_past_the_end(running, clock):
    clock.advance(days=running.length_days + 2)
    deadline = end_deadline(running.case)
    assert deadline.done_at is None and deadline.due_at < timezone.now()  # overdue, still prompting


def test_a_residence_permit_granted_completes_the_end_deadline(
    make_member, make_case, manager, clock, django_capture_on_commit_callbacks
):
    officer = make_member(Role.MIGRATION_OFFICER)
    case = make_case(team=(manager, officer))
    request_period(manager, case)
    clock.advance(days=20)
    data = ApplicationInput(kind="temporary", authority="Immigration Office")
    application = application_lodge(actor=officer, membership=officer.membership, case=case, data=data)
    assert end_deadline(case).done_at is None  # lodging announces no decision
    with django_capture_on_commit_callbacks(execute=True):
        decision_record(
            actor=officer,
            membership=officer.membership,
            application=application,
            data=ResidenceDecision(outcome="granted", reasons="The conditions of the permit are met."),
            expected_version=application.version,
        )
    assert end_deadline(case).done_at is not None


def test_a_refused_application_leaves_the_end_deadline_open(
    make_member, make_case, manager, django_capture_on_commit_callbacks
):
    officer = make_member(Role.MIGRATION_OFFICER)
    case = make_case(team=(manager, officer))
    request_period(manager, case)
    data = ApplicationInput(kind="temporary", authority="Immigration Office")
    application = application_lodge(actor=officer, membership=officer.membership, case=case, data=data)
    refusal = ResidenceDecision(
        outcome="refused", refusal_ground="not_eligible", reasons="The conditions of the permit are not met."
    )
    with django_capture_on_commit_callbacks(execute=True):
        decision_record(
            actor=officer,
            membership=officer.membership,
            application=application,
            data=refusal,
            expected_version=application.version,
        )
    assert end_deadline(case).done_at is None
