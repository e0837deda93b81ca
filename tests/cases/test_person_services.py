"""Person services: edits by tier, version checks, derived age group and child flag, sub-records."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from palermo.access.services import case_team_add
from palermo.accounts.roles import Role
from palermo.audit.models import AuditEvent
from palermo.cases.child import case_is_child
from palermo.cases.models import (
    AgeGroup,
    BirthDatePrecision,
    CaseEvent,
    ConsentGiver,
    DocumentHolder,
    DocumentType,
    IdentityDocument,
    Person,
)
from palermo.cases.services.person import (
    identity_document_add,
    identity_document_edit,
    person_alias_add,
    person_alias_remove,
    person_citizenship_add,
    person_citizenship_remove,
    person_language_add,
    person_language_remove,
    person_language_set_interpreter,
    person_refresh_derived,
    person_update,
)
from palermo.core.blind_index import document_index
from palermo.core.concurrency import StaleEdit
from tests.cases.referrals import open_case


@pytest.fixture
def case(first_responder, ia_agency):
    return open_case(first_responder, ia_agency)


@pytest.fixture
def person(case):
    return case.persons.get()


def on_team(responder, case, member):
    case_team_add(
        actor=responder,
        membership=responder.membership,
        case=case,
        agency=member.membership.agency,
        reason="needed for the permit",
    )
    return member


def update(user, person, **changes):
    return person_update(
        actor=user,
        membership=user.membership,
        person=person,
        changes=changes,
        expected_version=person.version,
    )


def test_an_edit_saves_bumps_the_version_and_is_recorded(first_responder, person):
    updated = update(first_responder, person, given_names="Նարե", phone="+374 10 000000")
    assert updated.version == 2
    fresh = Person.objects.get(pk=person.pk)
    assert (fresh.given_names, fresh.phone) == ("Նարե", "+374 10 000000")
    event = CaseEvent.objects.filter(case=person.case, kind="person").get()
    assert event.tier == 2
    assert "Նարե" not in event.summary
    assert AuditEvent.objects.filter(action="person.update", case=person.case, tier=2).exists()


def test_a_stale_edit_changes_nothing(first_responder, person):
    update(first_responder, person, given_names="First")
    with pytest.raises(StaleEdit) as stale:
        person_update(
            actor=first_responder,
            membership=first_responder.membership,
            person=person,
            changes={"given_names": "Second"},
            expected_version=1,
        )
    assert stale.value.current.given_names == "First"
    assert Person.objects.get(pk=person.pk).given_names == "First"


def test_a_save_that_changes_nothing_writes_nothing(first_responder, person):
    events = CaseEvent.objects.count()
    same = update(first_responder, person, given_names=person.given_names)
    assert same.version == 1
    assert CaseEvent.objects.count() == events


def test_a_migration_officer_writes_identity_but_not_location(
    first_responder, case, person, migration_officer
):
    on_team(first_responder, case, migration_officer)
    update(migration_officer, person, family_names="Новак")
    fresh = Person.objects.get(pk=person.pk)
    with pytest.raises(PermissionDenied):
        update(migration_officer, fresh, current_address="somewhere else")
    assert Person.objects.get(pk=person.pk).current_address == person.current_address


def test_outsiders_write_nothing(person, make_member):
    outsider = make_member(Role.CASE_MANAGER)
    with pytest.raises(PermissionDenied):
        update(outsider, person, gender="Masculine")


@pytest.mark.parametrize(
    "changes",
    [
        {"given_names": ""},
        {"gender": "Unknown value"},
        {"email": "not an email"},
        {"birth_date": datetime.date(2999, 1, 1)},
        {"birth_date_precision": "roughly"},
        {"unknown_field": "x"},
        {"given_names": "x" * 201},
    ],
)
def test_bad_values_are_refused(first_responder, person, changes):
    with pytest.raises((ValidationError, PermissionDenied)):
        update(first_responder, person, **changes)
    assert Person.objects.get(pk=person.pk).version == 1


def test_the_age_group_and_child_flag_follow_the_birth_date(first_responder, case, person):
    today = datetime.date.today()  # noqa: DTZ011
    assert not case.is_child
    child = update(first_responder, person, birth_date=today.replace(year=today.year - 12, day=1))
    assert child.age_group == AgeGroup.AGE_9_17
    case.refresh_from_db()
    assert case.is_child
    # An assessment establishes an adult's exact date: the flag goes back.
    adult = update(first_responder, child, birth_date=today.replace(year=today.year - 30, day=1))
    assert adult.age_group == AgeGroup.AGE_30_38
    case.refresh_from_db()
    assert not case.is_child


def test_the_child_flag_moves_through_its_one_writer_on_the_record(first_responder, case, person):
    today = datetime.date.today()  # noqa: DTZ011
    assert not case_is_child(case)
    update(first_responder, person, birth_date=today.replace(year=today.year - 12, day=1))
    case.refresh_from_db()
    assert case_is_child(case)
    event = AuditEvent.objects.get(case=case, action="case.child_flag")
    assert (event.actor_id, event.tier, event.reason) == (first_responder.pk, 1, "person_age")


def test_the_presumption_of_minority_sets_the_child_flag(first_responder, case, person):
    update(first_responder, person, birth_date=None, age_uncertain=True, believed_child=True)
    case.refresh_from_db()
    assert case.is_child


def test_a_partial_date_is_stored_in_its_canonical_form(first_responder, person):
    updated = update(
        first_responder,
        person,
        birth_date=datetime.date(2001, 7, 19),
        birth_date_precision=BirthDatePrecision.YEAR,
    )
    assert updated.birth_date == datetime.date(2001, 1, 1)


def test_refreshing_derived_values_follows_the_calendar(first_responder, ia_agency):
    today = datetime.date.today()  # noqa: DTZ011
    eighteen_years_ago = today.replace(year=today.year - 18, day=min(today.day, 28))
    birth = eighteen_years_ago + datetime.timedelta(days=10)  # 18 in ten days' time
    case = open_case(first_responder, ia_agency, birth_date=birth, consent_given_by=ConsentGiver.GUARDIAN)
    assert case.is_child
    assert not person_refresh_derived(case=case, on=today)  # nothing moved yet
    assert person_refresh_derived(case=case, on=today + datetime.timedelta(days=20))
    case.refresh_from_db()
    assert not case.is_child
    assert case.persons.get().age_group == AgeGroup.AGE_18_20


def test_aliases_are_added_and_removed(first_responder, person):
    alias = person_alias_add(
        actor=first_responder, membership=first_responder.membership, person=person, name="Lulu"
    )
    assert person.aliases.filter(name_index=alias.name_index).exists()
    person_alias_remove(actor=first_responder, membership=first_responder.membership, alias=alias)
    assert not person.aliases.filter(pk=alias.pk).exists()
    with pytest.raises(ValidationError):
        person_alias_add(
            actor=first_responder, membership=first_responder.membership, person=person, name="  "
        )


def test_citizenships_are_iso_alpha3_and_unique(first_responder, person):
    membership = first_responder.membership
    added = person_citizenship_add(actor=first_responder, membership=membership, person=person, country="mda")
    assert added.country == "MDA"
    # The same country again is the same record (a repeated save confirms, decision 0031), never a second one.
    again = person_citizenship_add(actor=first_responder, membership=membership, person=person, country="MDA")
    assert again.pk == added.pk and person.citizenships.filter(country="MDA").count() == 1
    for bad in ("ZZZ", "MD", ""):
        with pytest.raises(ValidationError):
            person_citizenship_add(actor=first_responder, membership=membership, person=person, country=bad)
    person_citizenship_remove(actor=first_responder, membership=membership, citizenship=added)
    assert not person.citizenships.filter(country="MDA").exists()


def test_languages_carry_the_interpreter_need(first_responder, person):
    membership = first_responder.membership
    language = person_language_add(
        actor=first_responder, membership=membership, person=person, language="tir", needs_interpreter=True
    )
    with pytest.raises(ValidationError):
        person_language_add(actor=first_responder, membership=membership, person=person, language="xx")
    changed = person_language_set_interpreter(
        actor=first_responder, membership=membership, language=language, needs_interpreter=False
    )
    assert not changed.needs_interpreter
    person_language_remove(actor=first_responder, membership=membership, language=language)
    assert not person.languages.filter(language="tir").exists()


def test_identity_documents_are_encrypted_matchable_and_versioned(first_responder, person):
    membership = first_responder.membership
    document = identity_document_add(
        actor=first_responder,
        membership=membership,
        person=person,
        type=DocumentType.PASSPORT,
        number="ab 123-456",
        issuing_country="alb",
        held_by=DocumentHolder.EXPLOITER,
    )
    assert document.issuing_country == "ALB"
    assert IdentityDocument.objects.filter(number_index=document_index("AB123456")).count() == 1
    edited = identity_document_edit(
        actor=first_responder,
        membership=membership,
        document=document,
        changes={"held_by": DocumentHolder.AUTHORITIES},
        expected_version=1,
    )
    assert edited.version == 2
    with pytest.raises(StaleEdit):
        identity_document_edit(
            actor=first_responder,
            membership=membership,
            document=document,
            changes={"held_by": DocumentHolder.PERSON},
            expected_version=1,
        )
    assert IdentityDocument.objects.get(pk=document.pk).held_by == DocumentHolder.AUTHORITIES
    with pytest.raises(ValidationError):
        identity_document_add(
            actor=first_responder, membership=membership, person=person, type="diary", number="1"
        )


def test_a_service_provider_cannot_add_identity_documents(first_responder, case, person, service_provider):
    on_team(first_responder, case, service_provider)
    with pytest.raises(PermissionDenied):
        identity_document_add(
            actor=service_provider,
            membership=service_provider.membership,
            person=person,
            type=DocumentType.PASSPORT,
        )


def latest_change(case):
    """The newest audit event and timeline entry of the case, as (action, tier, object type, object id)."""
    audit = AuditEvent.objects.filter(case=case).latest("sequence")
    event = CaseEvent.objects.filter(case=case).latest("id")
    assert (event.kind, event.tier, event.object_type, event.object_id) == (
        "person",
        audit.tier,
        audit.object_type,
        audit.object_id,
    )
    return audit.action, audit.tier, audit.object_type, int(audit.object_id), event.summary


def test_every_sub_record_change_is_audited_and_on_the_timeline_at_its_tier(first_responder, case, person):
    membership = first_responder.membership
    who = {"actor": first_responder, "membership": membership}
    alias = person_alias_add(**who, person=person, name="Lulu")
    assert latest_change(case) == ("person.alias_add", 2, "person_alias", alias.pk, "Alias added")
    person_alias_remove(**who, alias=alias)
    assert latest_change(case) == ("person.alias_remove", 2, "person_alias", alias.pk, "Alias removed")
    citizenship = person_citizenship_add(**who, person=person, country="MDA")
    expected = ("person.citizenship_add", 1, "person_citizenship", citizenship.pk, "Citizenship added")
    assert latest_change(case) == expected
    person_citizenship_remove(**who, citizenship=citizenship)
    expected = ("person.citizenship_remove", 1, "person_citizenship", citizenship.pk, "Citizenship removed")
    assert latest_change(case) == expected
    language = person_language_add(**who, person=person, language="tir")
    assert latest_change(case) == ("person.language_add", 1, "person_language", language.pk, "Language added")
    person_language_set_interpreter(**who, language=language, needs_interpreter=True)
    expected = ("person.language_change", 1, "person_language", language.pk, "Language changed")
    assert latest_change(case) == expected
    person_language_remove(**who, language=language)
    expected = ("person.language_remove", 1, "person_language", language.pk, "Language removed")
    assert latest_change(case) == expected
    document = identity_document_add(**who, person=person, type=DocumentType.PASSPORT)
    expected = ("person.document_add", 2, "identity_document", document.pk, "Identity document added")
    assert latest_change(case) == expected
    identity_document_edit(**who, document=document, changes={"number": "P-1"}, expected_version=1)
    expected = ("person.document_edit", 2, "identity_document", document.pk, "Identity document changed")
    assert latest_change(case) == expected


def test_sub_record_changes_that_change_nothing_write_nothing(first_responder, person):
    membership = first_responder.membership
    language = person.languages.first()
    document = identity_document_add(
        actor=first_responder, membership=membership, person=person, type=DocumentType.PASSPORT, number="P-1"
    )
    audited = AuditEvent.objects.count()
    person_language_set_interpreter(
        actor=first_responder,
        membership=membership,
        language=language,
        needs_interpreter=language.needs_interpreter,
    )
    same = identity_document_edit(
        actor=first_responder,
        membership=membership,
        document=document,
        changes={"type": DocumentType.PASSPORT, "number": "P-1"},
        expected_version=1,
    )
    assert same.version == 1
    assert AuditEvent.objects.count() == audited


def test_a_service_provider_cannot_remove_or_change_identity_records(
    first_responder, case, person, service_provider
):
    on_team(first_responder, case, service_provider)
    alias = person.aliases.get()
    document = identity_document_add(
        actor=first_responder,
        membership=first_responder.membership,
        person=person,
        type=DocumentType.PASSPORT,
    )
    who = {"actor": service_provider, "membership": service_provider.membership}
    with pytest.raises(PermissionDenied):
        person_alias_remove(**who, alias=alias)
    with pytest.raises(PermissionDenied):
        identity_document_edit(**who, document=document, changes={"number": "P-2"}, expected_version=1)
    assert person.aliases.filter(pk=alias.pk).exists()
    assert IdentityDocument.objects.get(pk=document.pk).number == ""
