"""Intake services: drafts saved and resumed with a version check; submission all or nothing."""

from __future__ import annotations

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from palermo.access.models import CaseTeamMember
from palermo.access.policy import can_read, can_see_case
from palermo.accounts.roles import Role
from palermo.audit.models import AuditEvent
from palermo.cases.models import (
    AgeGroup,
    Case,
    CaseEvent,
    CaseNote,
    Consent,
    ConsentGiver,
    ConsentPurpose,
    EventKind,
    IntakeDraft,
    Person,
)
from palermo.cases.selectors import consent_valid
from palermo.cases.services.intake import (
    draft_data,
    identification_agencies,
    intake_draft_create,
    intake_draft_discard,
    intake_draft_save,
    intake_submit,
    notify_identification_authority,
)
from palermo.core.concurrency import StaleEdit
from palermo.deadlines.models import Deadline
from palermo.identification.deadlines import PRESUMED_KIND, decision_deadline
from palermo.identification.models import DecisionKind
from tests.cases.referrals import AN_ANSWER, child_overrides, open_case, referral_for

IMMEDIATE_TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture
def authority(make_member, make_user):
    """An identification authority member with an email address, in an agency of their own."""
    return make_member(Role.IDENTIFICATION_AUTHORITY, user=make_user(email="decider@authority.example"))


@pytest.fixture
def ia_agency(authority):
    return authority.membership.agency


def counts():
    return {
        model.__name__: model.objects.count()
        for model in (Case, Person, Consent, CaseTeamMember, CaseEvent, CaseNote, IntakeDraft)
    }


def test_submission_opens_the_whole_case(first_responder, ia_agency):
    referral = referral_for(ia_agency)
    case = intake_submit(actor=first_responder, membership=first_responder.membership, referral=referral)

    assert case.lead_agency == first_responder.membership.agency
    assert case.opened_by == first_responder
    assert not case.is_child
    person = case.persons.get()
    assert (person.given_names, person.family_names) == (referral.given_names, referral.family_names)
    assert person.given_names_latin == referral.given_names_latin
    assert person.birth_date == referral.birth_date
    assert person.current_address == referral.current_location
    assert person.phone == referral.phone
    assert person.age_group != AgeGroup.UNKNOWN
    assert [a.name for a in person.aliases.all()] == referral.aliases
    assert [c.country for c in person.citizenships.all()] == ["ALB"]
    assert {(lang.language, lang.needs_interpreter) for lang in person.languages.all()} == {
        ("sqi", True),
        ("eng", False),
    }
    assert list(case.exploitation_forms.values_list("form", flat=True)) == ["ForcedLabour"]

    consent = case.consents.get()
    assert (consent.purpose, consent.given_by, consent.language) == ("referral", "person", "sqi")
    assert consent.recipient_agency == ia_agency
    assert consent_valid(case, ConsentPurpose.REFERRAL, ia_agency)

    team = set(CaseTeamMember.objects.filter(case=case).values_list("agency_id", "user_id"))
    assert team == {(first_responder.membership.agency_id, None), (ia_agency.pk, None)}
    assert not Deadline.objects.filter(case=case, kind="children.guardian_appointment").exists()
    assert case.events.filter(kind=EventKind.INTAKE).count() == 1
    note = case.notes.get()
    assert note.tier == 4 and referral.contact_details in note.body
    assert AuditEvent.objects.filter(action="intake.submit", case=case).exists()


def test_submitting_without_consent_is_refused_and_changes_nothing(first_responder, ia_agency):
    before = counts()
    with pytest.raises(ValidationError) as refused:
        open_case(first_responder, ia_agency, consent_given=False)
    assert "consent_given" in refused.value.message_dict
    assert counts() == before


def test_a_child_is_referred_at_once_without_anyones_consent(first_responder, ia_agency):
    case = open_case(
        first_responder, ia_agency, **{**child_overrides(), "consent_given": False, "consent_given_by": ""}
    )
    assert case.is_child
    assert not case.consents.exists()  # the referral is a protection duty: no consent is recorded or needed
    assert case.events.filter(kind="consent").exists()  # the timeline says why none was asked


def test_a_childs_own_yes_is_not_recorded_as_consent_but_a_guardians_is(first_responder, ia_agency):
    case = open_case(
        first_responder, ia_agency, **{**child_overrides(), "consent_given_by": ConsentGiver.PERSON}
    )
    assert not case.consents.exists()
    case = open_case(first_responder, ia_agency, **child_overrides())
    assert case.consents.get().given_by == ConsentGiver.GUARDIAN


def test_a_childs_case_opens_on_the_narrowest_team_with_the_guardian_deadline(
    first_responder, ia_agency, make_member
):
    colleague = make_member(Role.CASE_MANAGER, agency=first_responder.membership.agency, two_factor=False)
    case = open_case(first_responder, ia_agency, **child_overrides())

    team = set(CaseTeamMember.objects.filter(case=case).values_list("agency_id", "user_id"))
    # The referring person alone for their agency; the identification authority as a whole, to decide.
    assert team == {(first_responder.membership.agency_id, first_responder.pk), (ia_agency.pk, None)}
    assert can_see_case(first_responder.membership, case)
    assert not can_read(colleague.membership, case, 2)  # a colleague of the same agency is not on it
    assert Deadline.objects.filter(case=case, kind="children.guardian_appointment", done_at=None).exists()


def test_the_presumption_of_minority_makes_a_childs_case(first_responder, ia_agency):
    case = open_case(
        first_responder,
        ia_agency,
        birth_date=None,
        age_uncertain=True,
        believed_child=True,
        consent_given_by=ConsentGiver.GUARDIAN,
    )
    assert case.is_child


def test_a_failure_half_way_leaves_nothing_behind(first_responder, ia_agency, monkeypatch):
    from palermo.cases.services import intake

    def broken(**kwargs):
        raise RuntimeError("the note could not be written")

    monkeypatch.setattr(intake, "case_note_add", broken)
    before = counts()
    with pytest.raises(RuntimeError):
        open_case(first_responder, ia_agency)
    assert counts() == before


def test_only_referring_roles_submit(migration_officer, ia_agency):
    with pytest.raises(PermissionDenied):
        open_case(migration_officer, ia_agency)


def test_the_identification_authority_must_be_one(first_responder, make_agency):
    with pytest.raises(ValidationError) as refused:
        open_case(first_responder, make_agency())
    assert "identification_agency" in refused.value.message_dict


def test_identification_agencies_are_those_with_an_active_member(make_member, make_agency):
    active = make_member(Role.IDENTIFICATION_AUTHORITY).membership.agency
    make_agency()  # no identification authority member
    make_member(Role.CASE_MANAGER, agency=active)
    assert list(identification_agencies()) == [active]


def test_the_authority_is_emailed_the_reference_only(
    first_responder, authority, ia_agency, settings, django_capture_on_commit_callbacks
):
    settings.TASKS = IMMEDIATE_TASKS
    referral = referral_for(ia_agency)
    with django_capture_on_commit_callbacks(execute=True):
        case = intake_submit(actor=first_responder, membership=first_responder.membership, referral=referral)
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [authority.email]
    assert case.reference in message.subject and case.reference in message.body
    text = message.subject + message.body
    for personal in (
        referral.given_names,
        referral.family_names,
        referral.given_names_latin,
        referral.family_names_latin,
        referral.phone,
        str(referral.birth_date),
        *referral.aliases,
    ):
        assert personal not in text


def test_no_email_before_the_transaction_commits(first_responder, ia_agency, settings):
    settings.TASKS = IMMEDIATE_TASKS
    open_case(first_responder, ia_agency)  # the test transaction never commits
    assert mail.outbox == []


def test_the_notification_task_tolerates_a_vanished_case(ia_agency, settings):
    settings.TASKS = IMMEDIATE_TASKS
    assert notify_identification_authority.call(999999, ia_agency.pk) == 0


# --- drafts ---------------------------------------------------------------------------------------------


def test_a_draft_is_saved_encrypted_and_resumed(first_responder):
    data = {"given_names": "Ана", "citizenships": ["ALB", "MDA"]}
    draft = intake_draft_create(actor=first_responder, membership=first_responder.membership, data=data)
    stored = IntakeDraft.objects.values_list("content", flat=True).get(pk=draft.pk)
    assert "Ана" not in str(stored)  # a Sealed token, never plaintext
    assert draft_data(IntakeDraft.objects.get(pk=draft.pk)) == data


def test_a_stale_draft_save_is_refused(first_responder):
    membership = first_responder.membership
    draft = intake_draft_create(actor=first_responder, membership=membership, data={"given_names": "A"})
    intake_draft_save(
        actor=first_responder,
        membership=membership,
        draft=draft,
        data={"given_names": "B"},
        expected_version=1,
    )
    with pytest.raises(StaleEdit):
        intake_draft_save(
            actor=first_responder,
            membership=membership,
            draft=draft,
            data={"given_names": "C"},
            expected_version=1,
        )
    assert draft_data(IntakeDraft.objects.get(pk=draft.pk)) == {"given_names": "B"}


def test_a_draft_is_its_authors_only(first_responder, make_member, ia_agency):
    draft = intake_draft_create(actor=first_responder, membership=first_responder.membership, data=AN_ANSWER)
    colleague = make_member(Role.FIRST_RESPONDER, agency=first_responder.membership.agency)
    with pytest.raises(PermissionDenied):
        intake_draft_save(
            actor=colleague,
            membership=colleague.membership,
            draft=draft,
            data=AN_ANSWER,
            expected_version=1,
        )
    with pytest.raises(PermissionDenied):
        intake_draft_discard(actor=colleague, membership=colleague.membership, draft=draft)
    with pytest.raises(PermissionDenied):
        intake_submit(
            actor=colleague,
            membership=colleague.membership,
            referral=referral_for(ia_agency),
            draft=draft,
            expected_version=1,
        )


def test_submitting_a_draft_links_it_and_empties_it(first_responder, ia_agency):
    membership = first_responder.membership
    draft = intake_draft_create(actor=first_responder, membership=membership, data={"given_names": "X"})
    case = intake_submit(
        actor=first_responder,
        membership=membership,
        referral=referral_for(ia_agency),
        draft=draft,
        expected_version=1,
    )
    draft.refresh_from_db()
    assert draft.submitted_case == case
    assert draft.content == ""
    with pytest.raises(ValidationError):
        intake_draft_save(
            actor=first_responder, membership=membership, draft=draft, data=AN_ANSWER, expected_version=2
        )


def test_a_stale_draft_is_not_submitted(first_responder, ia_agency):
    membership = first_responder.membership
    draft = intake_draft_create(actor=first_responder, membership=membership, data=AN_ANSWER)
    intake_draft_save(
        actor=first_responder, membership=membership, draft=draft, data={"a": "b"}, expected_version=1
    )
    before = counts()
    with pytest.raises(StaleEdit):
        intake_submit(
            actor=first_responder,
            membership=membership,
            referral=referral_for(ia_agency),
            draft=draft,
            expected_version=1,
        )
    assert counts() == before


@pytest.mark.parametrize(
    "data",
    [
        ["not", "a", "mapping"],
        {"bad name": "x"},
        {"field": {"nested": "no"}},
        {"field": "x" * 20_001},
        {"field": [1, 2]},
    ],
)
def test_malformed_drafts_are_refused(first_responder, data):
    with pytest.raises(ValidationError):
        intake_draft_create(actor=first_responder, membership=first_responder.membership, data=data)


def test_a_draft_can_be_discarded(first_responder):
    membership = first_responder.membership
    draft = intake_draft_create(actor=first_responder, membership=membership, data={"given_names": "A"})
    intake_draft_discard(actor=first_responder, membership=membership, draft=draft)
    assert not IntakeDraft.objects.filter(pk=draft.pk).exists()


def test_the_new_case_has_its_presumed_victim_decision_deadline(first_responder, ia_agency):
    case = open_case(first_responder, ia_agency)
    deadline = Deadline.objects.get(case=case)
    assert deadline.kind == PRESUMED_KIND and deadline.done_at is None
    assert deadline.due_at == decision_deadline(DecisionKind.PRESUMED, start=case.opened_at).due_at


def test_a_refused_submission_leaves_no_deadline(first_responder, ia_agency):
    with pytest.raises(ValidationError):
        open_case(first_responder, ia_agency, consent_given=False)
    assert not Deadline.objects.exists()
