"""Assistance personas: a case manager on a case team, a shelter with places and its service provider, a
legal aid provider; the person is synthetic (Faker, several scripts). Writes go through the services."""

from __future__ import annotations

import pytest

from palermo.accounts.roles import AgencyType, Role
from palermo.assistance.models import ServiceKind
from palermo.assistance.services.directory import ServiceData, service_create
from palermo.cases.models import AgeGroup, ConsentGiver, ConsentPurpose, PersonLanguage
from palermo.cases.reference import Gender
from palermo.cases.services.consent import consent_record
from tests.cases.casework import add_person, make_case, put_on_team


@pytest.fixture
def admin(make_member):
    return make_member(Role.SYSTEM_ADMINISTRATOR)


@pytest.fixture
def shelter_worker(make_member):
    return make_member(Role.SERVICE_PROVIDER, AgencyType.SHELTER)


@pytest.fixture
def lawyer(make_member):
    return make_member(Role.SERVICE_PROVIDER, AgencyType.LEGAL_AID)


def add_service(member, kind=ServiceKind.SAFE_ACCOMMODATION, **fields):
    fields.setdefault("name", f"{kind} {member.membership.agency.pk}")
    fields.setdefault("languages", ["ron", "rus"])
    fields.setdefault("regions", ["North"])
    if kind == ServiceKind.SAFE_ACCOMMODATION:
        fields.setdefault("capacity", 2)
    return service_create(
        actor=member,
        membership=member.membership,
        agency=member.membership.agency,
        data=ServiceData(kind=kind, **fields),
    )


@pytest.fixture
def shelter(shelter_worker):
    return add_service(shelter_worker, contact="+40 21 000 0000")


@pytest.fixture
def legal(lawyer):
    return add_service(lawyer, ServiceKind.LEGAL_ASSISTANCE, contact="+40 21 111 1111")


def person_on(case, *, gender=Gender.FEMININE, languages=(("ron", False), ("ara", True))):
    person = add_person(case)
    person.gender, person.age_group = gender, AgeGroup.AGE_24_26
    person.note = "narrative that must never reach a provider"
    person.current_address = "an address that must never reach a provider"
    person.save()
    for code, interpreter in languages:
        PersonLanguage.objects.create(person=person, language=code, needs_interpreter=interpreter)
    return person


@pytest.fixture
def case(manager):
    case = make_case(manager.membership.agency)
    put_on_team(case, manager)
    person_on(case)
    return case


def consent_to(manager, case, agency, *, given_by=ConsentGiver.PERSON):
    return consent_record(
        actor=manager,
        membership=manager.membership,
        case=case,
        purpose=ConsentPurpose.REFERRAL,
        given_by=given_by,
        language="ron",
        recipient_agency=agency,
    )


def current(record):
    """The version of the record as stored now: what a person who just read it would send back."""
    return type(record).objects.get(pk=record.pk).version
