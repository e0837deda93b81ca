"""Guardianship: the appointment deadline (created once, flagged until done, counted by the moved clock), the
guardian on the case team, consent on the child's behalf, end and replacement, and the guardian's notice of
every decision after commit."""

from __future__ import annotations

import datetime

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from palermo.access.models import CaseTeamMember
from palermo.access.policy import can_read
from palermo.access.services import case_team_add
from palermo.accounts.roles import AgencyType, Role
from palermo.audit.models import AuditEvent
from palermo.cases.child import case_is_child
from palermo.cases.models import CaseEvent, ConsentGiver, EventKind
from palermo.children.models import GuardianNotice, Guardianship, GuardianshipEnd
from palermo.children.selectors import guardian_consents
from palermo.children.services.care import REVIEW_KIND
from palermo.children.services.guardianship import (
    APPOINTMENT_KIND,
    guardian_appoint,
    guardian_end,
    guardian_replace,
    open_child_deadlines,
)
from palermo.core.decisions import DecisionRecorded, DecisionSubject, decision_recorded
from palermo.core.rulebooks import rulebook
from palermo.deadlines.models import Deadline
from palermo.deadlines.reminders import announce_due_deadlines
from palermo.deadlines.selectors import in_scope
from palermo.deadlines.services import set_deadline
from palermo.identification.legal import elements_check
from palermo.identification.models import AgeConclusion, AgeMethod
from palermo.identification.selectors import instrument_find
from palermo.identification.services.legal import age_assessment_record
from palermo.identification.services.screenings import screening_start
from tests.children.conftest import appoint, determine, give_consent
from tests.worker import IMMEDIATE_TASKS

pytestmark = pytest.mark.django_db


def test_a_childs_case_gets_one_appointment_deadline_from_its_opening(child_case, adult_case):
    deadline = open_child_deadlines(child_case)
    assert deadline is not None and deadline.kind == APPOINTMENT_KIND and deadline.done_at is None
    expected = child_case.opened_at + datetime.timedelta(days=rulebook().children.guardian_appointment_days)
    assert abs(deadline.due_at - expected) < datetime.timedelta(seconds=1)
    assert open_child_deadlines(child_case).pk == deadline.pk  # idempotent
    assert Deadline.objects.filter(case=child_case, kind=APPOINTMENT_KIND).count() == 1
    assert open_child_deadlines(adult_case) is None
    assert not Deadline.objects.filter(case=adult_case).exists()


def test_the_deadline_is_overdue_when_the_clock_passes_it_and_done_on_appointment(
    clock, manager, guardian, child_case
):
    deadline = open_child_deadlines(child_case)
    clock.advance(days=rulebook().children.guardian_appointment_days + 1)
    assert Deadline.objects.filter(pk=deadline.pk, done_at__isnull=True, due_at__lt=timezone.now()).exists()
    appoint(manager, child_case, guardian)
    deadline.refresh_from_db()
    assert deadline.done_at is not None
    assert open_child_deadlines(child_case).done_at is not None  # not reopened by a later look


def test_the_guardian_joins_the_team_and_reads_the_whole_record(manager, guardian, child_case):
    assert not can_read(guardian.membership, child_case, 4)
    guardianship = appoint(manager, child_case, guardian)
    assert CaseTeamMember.objects.filter(case=child_case, user=guardian, removed_at__isnull=True).exists()
    child_case.refresh_from_db()
    assert can_read(guardian.membership, child_case, 4)
    event = CaseEvent.objects.get(case=child_case, kind=EventKind.GUARDIANSHIP)
    assert event.object_id == str(guardianship.pk) and event.tier == 1
    assert AuditEvent.objects.filter(case=child_case, action="guardianship.appoint").exists()


def test_a_guardian_whose_service_is_on_the_team_is_named_and_the_childs_deadlines_become_theirs(
    manager, guardian, child_case
):
    service = guardian.membership.agency
    case_team_add(
        actor=manager, membership=manager.membership, case=child_case, agency=service, reason="Routed"
    )
    due = set_deadline(
        case=child_case,
        kind=REVIEW_KIND,
        due_at=timezone.now() - datetime.timedelta(days=1),
        source=child_case,
        agency=service,
    )
    assert due not in in_scope(guardian.membership)  # the service's, no one's own yet
    appoint(manager, child_case, guardian)
    named = CaseTeamMember.objects.filter(case=child_case, agency=service, removed_at__isnull=True)
    assert {entry.user_id for entry in named} == {None, guardian.pk}  # the service stays, the guardian named
    assert due in in_scope(guardian.membership)
    mail.outbox.clear()
    announce_due_deadlines()
    assert [message.to for message in mail.outbox] == [[guardian.email]]  # the reminder reaches the guardian


def test_only_a_guardian_of_a_guardianship_service_and_only_on_a_childs_case(
    make_member, manager, guardian, child_case, adult_case
):
    ngo_worker = make_member(Role.GUARDIAN, AgencyType.NGO)
    with pytest.raises(ValidationError):
        appoint(manager, child_case, ngo_worker)
    with pytest.raises(ValidationError):
        appoint(manager, adult_case, guardian)
    with pytest.raises(PermissionDenied):  # a guardian cannot appoint (does not manage the team)
        guardian_appoint(
            actor=guardian,
            membership=guardian.membership,
            case=child_case,
            guardian=guardian,
            agency=guardian.membership.agency,
        )
    appoint(manager, child_case, guardian)
    with pytest.raises(ValidationError):  # one at a time
        appoint(manager, child_case, guardian)
    assert Guardianship.objects.filter(case=child_case).count() == 1


def test_ending_leaves_the_team_and_flags_a_new_appointment(clock, manager, guardian, child_case):
    guardianship = appoint(manager, child_case, guardian)
    guardian_end(
        actor=manager, membership=manager.membership, guardianship=guardianship, reason=GuardianshipEnd.OTHER
    )
    assert not CaseTeamMember.objects.filter(case=child_case, user=guardian, removed_at__isnull=True).exists()
    due = Deadline.objects.get(source_id=str(guardianship.pk), kind=APPOINTMENT_KIND)
    assert due.done_at is None and due.due_at > timezone.now()
    with pytest.raises(ValidationError):
        guardian_end(
            actor=manager,
            membership=manager.membership,
            guardianship=guardianship,
            reason=GuardianshipEnd.OTHER,
        )


def test_replacing_the_guardian_is_one_step(make_member, manager, guardian, child_case):
    appoint(manager, child_case, guardian)
    successor = make_member(Role.GUARDIAN, agency=guardian.membership.agency)
    new = guardian_replace(
        actor=manager,
        membership=manager.membership,
        case=child_case,
        guardian=successor,
        agency=successor.membership.agency,
    )
    assert Guardianship.objects.get(case=child_case, ended_at__isnull=True) == new
    old = Guardianship.objects.get(case=child_case, guardian=guardian)
    assert old.ended_because == GuardianshipEnd.REPLACED
    assert not Deadline.objects.filter(case=child_case, kind=APPOINTMENT_KIND, done_at__isnull=True).exists()


def test_consent_on_the_childs_behalf_is_the_guardians(manager, guardian, child_case):
    appoint(manager, child_case, guardian)
    with pytest.raises(ValidationError):
        give_consent(manager, child_case, ConsentGiver.PERSON)
    give_consent(guardian, child_case)
    assert guardian_consents(child_case).count() == 1


def test_the_guardian_is_emailed_of_each_decision_after_commit(
    django_capture_on_commit_callbacks, manager, guardian, child_case, settings
):
    settings.TASKS = IMMEDIATE_TASKS  # the task runs as it is enqueued (the worker: test_guardian_notices)
    appoint(manager, child_case, guardian)
    with django_capture_on_commit_callbacks(execute=True):
        procedure = determine(manager, child_case)
        assert not mail.outbox  # nothing before the commit
    assert len(mail.outbox) == 1
    sent = mail.outbox[0]
    assert sent.to == [guardian.email]
    assert child_case.reference in sent.subject and "Best-interest determination" in sent.body
    assert procedure.reasons not in sent.body and "school" not in sent.body  # no narrative, no views
    # Decisions of other areas reach the guardian the same way.
    with django_capture_on_commit_callbacks(execute=True):
        decision_recorded(
            DecisionRecorded(
                case_id=child_case.pk,
                subject=DecisionSubject.IDENTIFICATION,
                label="Presumed victim decision: positive",
                object_type="identification.identificationdecision",
                object_id=1,
                decided_at=timezone.now(),
            )
        )
    assert len(mail.outbox) == 2 and "Presumed victim decision: positive" in mail.outbox[1].body
    notices = GuardianNotice.objects.filter(case=child_case).order_by("pk")
    assert [n.label for n in notices] == ["Best-interest determination", "Presumed victim decision: positive"]
    assert all(n.emailed for n in notices)


def test_no_guardian_no_mail(django_capture_on_commit_callbacks, manager, child_case):
    with django_capture_on_commit_callbacks(execute=True):
        determine(manager, child_case)
    assert not mail.outbox and not GuardianNotice.objects.exists()


def test_child_mode_follows_the_case_flag_and_age_assessments(manager, child_case, adult_case):
    assert case_is_child(child_case) and not case_is_child(adult_case)
    age_assessment_record(
        actor=manager,
        membership=manager.membership,
        case=adult_case,
        method=AgeMethod.values[0],
        conclusion=AgeConclusion.CHILD,
        assessed_on=timezone.localdate(),
        assessor="Paediatric service",
    )
    assert case_is_child(adult_case)


def test_child_cases_screen_with_the_child_rule_and_need_no_means(manager, child_case, adult_case):
    instrument = instrument_find("ilo-2009-labour")
    assert instrument is not None
    child = screening_start(
        actor=manager, membership=manager.membership, case=child_case, instrument=instrument
    )
    adult = screening_start(
        actor=manager, membership=manager.membership, case=adult_case, instrument=instrument
    )
    assert child.child and not adult.child
    assert elements_check(acts=["recruitment"], means=[], purposes=["labour"], child=True).missing == ()
    assert "means" in elements_check(acts=["recruitment"], means=[], purposes=["labour"], child=False).missing


def test_a_case_assessed_as_a_childs_gets_its_appointment_deadline_then(manager, adult_case):
    assert not Deadline.objects.filter(case=adult_case, kind=APPOINTMENT_KIND).exists()
    age_assessment_record(
        actor=manager,
        membership=manager.membership,
        case=adult_case,
        method="documents",
        conclusion="child",
        assessed_on=timezone.localdate() - datetime.timedelta(days=1),
        assessor="Civil registry",
    )
    adult_case.refresh_from_db()
    assert adult_case.is_child
    assert Deadline.objects.filter(case=adult_case, kind=APPOINTMENT_KIND, done_at=None).count() == 1


def test_viewing_the_section_writes_no_deadline(client_for, manager, child_case):
    Deadline.objects.filter(case=child_case).delete()
    client = client_for(manager)
    url = reverse("cases:section", args=[child_case.reference, "children"])
    assert client.get(url, HTTP_HX_REQUEST="true").status_code == 200
    assert not Deadline.objects.filter(case=child_case).exists()
