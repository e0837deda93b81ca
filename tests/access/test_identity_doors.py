"""Matching on identity answers only where identity may be read (issue 15, item 1).

A search by name and the intake's duplicate check match on T2 values (name, birth date) through the blind
indexes. They name a case only when the reader may read its T2: a colleague of the lead agency, who sees the
case's metadata (T1) but not who it is about, learns nothing by searching a name or by trying the days of a
year. Other matches are told only coarsely ("a possible match exists"), audited and rate-limited.

The property test walks every role and relation of the access matrix (data/matrix.toml) through every
identity door, on the pages and in the API: no answer holds a case reference whose T2 the reader may not read,
and every reader who may read it (and may use the door) is told.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

import pytest
from django.test import Client
from django.urls import reverse

from palermo.access.matrix import Relation, reads
from palermo.access.selectors import cases_readable_at
from palermo.access.tiers import Tier
from palermo.accounts.models import User
from palermo.accounts.roles import Role
from palermo.audit.models import AuditEvent
from palermo.cases.models import Case, Person
from palermo.cases.services.intake import INTAKE_ROLES
from palermo.cases.web import CASE_ROLES
from palermo.reflection.web import LOOKUP_ROLES
from tests.access.conftest import grant_row, team_row
from tests.cases.casework import make_case
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db

SEARCH = reverse("cases:search")
API_SEARCH = reverse("api-cases-search")
DUPLICATES = reverse("cases:intake_duplicates")
API_DUPLICATES = reverse("api-intake-duplicates")
LOOKUP = reverse("reflection:lookup")
API_LOOKUP = reverse("api-reflection-lookup")
BIRTH = datetime.date(1991, 6, 14)


def full_name(person: Person) -> str:
    return f"{person.given_names} {person.family_names}"


def duplicate_query(person: Person, day: datetime.date) -> dict[str, str]:
    return {
        "given_names": person.given_names,
        "family_names": person.family_names,
        "birth_year": str(day.year),
        "birth_month": str(day.month),
        "birth_day": str(day.day),
    }


@dataclass
class Answers:
    """The text of every identity door's answer to one reader about one person."""

    search_page: str
    search_api: str
    duplicates_page: str
    duplicates_api: str
    lookup_page: str
    lookup_api: str


def ask_every_door(client: Client, person: Person, day: datetime.date = BIRTH) -> Answers:
    name, when = full_name(person), day.isoformat()
    search = {"name": name, "birth_date": when}
    duplicates = duplicate_query(person, day)
    return Answers(
        search_page=client.post(SEARCH, search).content.decode(),
        search_api=client.post(API_SEARCH, search, content_type="application/json").content.decode(),
        duplicates_page=client.post(DUPLICATES, duplicates).content.decode(),
        duplicates_api=client.post(
            API_DUPLICATES, duplicates, content_type="application/json"
        ).content.decode(),
        lookup_page=client.post(LOOKUP, search).content.decode(),
        lookup_api=client.post(API_LOOKUP, search, content_type="application/json").content.decode(),
    )


# --- the probe's case: a colleague of the lead agency ------------------------------------------------------


@pytest.fixture
def colleagues_case(make_member, make_agency):
    """A case of an NGO whose team holds one of its case managers by name; another case manager of the same
    NGO stands as `same_agency` (T0, T1: the case exists for them, not who it is about)."""
    agency = make_agency("ngo")
    worker = make_member(Role.CASE_MANAGER, agency=agency)
    colleague = make_member(Role.CASE_MANAGER, agency=agency)
    case = make_case(agency)
    team_row(case, agency, user=worker)
    person = PersonFactory(case=case, birth_date=BIRTH)
    return case, person, worker, colleague


def test_a_colleague_of_the_lead_agency_sees_the_case_but_no_door_tells_who_it_is_about(
    colleagues_case, client_for
):
    case, person, worker, colleague = colleagues_case
    client = client_for(colleague)
    # The case exists for the colleague (its metadata, by reference).
    assert case.reference in client.get(SEARCH, {"reference": case.reference}).content.decode()
    answers = ask_every_door(client, person)
    for door, text in vars(answers).items():
        assert case.reference not in text, door
    # The duplicate check says only that a record may exist, on the page and in the API.
    assert "A possible match exists" in answers.duplicates_page
    assert '"visible":[]' in answers.duplicates_api.replace(" ", "")
    assert '"others_exist":true' in answers.duplicates_api.replace(" ", "")
    # Each check that could match is recorded.
    assert AuditEvent.objects.filter(action="intake.duplicate_check", actor=colleague).count() == 2
    # The case's own team member finds it by name at each door they may use.
    mine = ask_every_door(client_for(worker), person)
    assert case.reference in mine.search_page and case.reference in mine.search_api
    assert case.reference in mine.duplicates_page and case.reference in mine.duplicates_api


def test_trying_the_days_of_a_year_recovers_no_birth_date_and_is_stopped(colleagues_case, client_for):
    case, person, _worker, colleague = colleagues_case
    client = client_for(colleague)
    name = full_name(person)
    statuses = []
    for offset in range(-20, 20):
        day = BIRTH + datetime.timedelta(days=offset)
        page = client.post(SEARCH, {"name": name, "birth_date": day.isoformat()})
        api = client.post(
            API_SEARCH, {"name": name, "birth_date": day.isoformat()}, content_type="application/json"
        )
        assert case.reference not in page.content.decode() + api.content.decode()
        statuses += [page.status_code, api.status_code]
    # The page and the API share one count: 30 a minute, then 429 on both.
    assert statuses[:30] == [200] * 30
    assert set(statuses[30:]) == {429}


# --- the property: every role, every relation -------------------------------------------------------------


SITUATIONS = [(role, relation) for role in Role for relation in Relation]


def reads_identity(role: Role, relation: Relation) -> bool:
    """Whether the matrix lets this role read the case's T2 in this relation (a break-glass holder stands as
    another agency as well; the tiers of the relations that hold add up)."""
    tiers = reads(role, relation)
    if relation == Relation.BREAK_GLASS:
        tiers = tiers | reads(role, Relation.OTHER_AGENCY)
    return {Tier.METADATA, Tier.IDENTITY} <= tiers


def reader_in(role: Role, relation: Relation, make_member, make_agency) -> tuple[User, Case, Person]:
    reader = make_member(role)
    membership = reader.membership  # type: ignore[attr-defined]
    own = membership.agency
    lead = own if relation in (Relation.TEAM, Relation.SAME_AGENCY) else make_agency()
    case = make_case(lead, is_child=True)  # a child's case: every role's rules apply (the guardian's too)
    if relation == Relation.TEAM:
        team_row(case, own)
    elif relation == Relation.BREAK_GLASS:
        grant_row(case, membership)
    person = PersonFactory(case=case, birth_date=BIRTH)
    return reader, case, person


@pytest.mark.parametrize(("role", "relation"), SITUATIONS, ids=lambda v: str(v))
def test_no_identity_door_reveals_a_case_whose_identity_the_reader_may_not_read(
    role, relation, make_member, make_agency, client_for, settings
):
    settings.RATE_LIMITS = dict.fromkeys(("lookup", "name_search", "duplicate_check"), ("1000/minute",))
    reader, case, person = reader_in(role, relation, make_member, make_agency)
    answers = ask_every_door(client_for(reader), person)
    allowed = reads_identity(role, relation)
    for door, text in vars(answers).items():
        if case.reference in text:
            assert allowed, f"{door} names a case whose identity {role} ({relation}) may not read"
    # ... and those who may read it, through a door open to them, are told.
    assert (case.reference in answers.search_page) == (allowed and role in CASE_ROLES)
    assert (case.reference in answers.search_api) == (allowed and role in CASE_ROLES)
    assert (case.reference in answers.duplicates_page) == (allowed and role in INTAKE_ROLES)
    assert (case.reference in answers.duplicates_api) == (allowed and role in INTAKE_ROLES)
    # The look-up names no case to anyone; it answers only "protected or not" (this person, referred and
    # awaiting the presumed-victim decision, is protected until it is taken).
    assert case.reference not in answers.lookup_page + answers.lookup_api
    if role in LOOKUP_ROLES:
        assert "Protected from removal until a pending decision is taken" in answers.lookup_page


@pytest.mark.parametrize(("role", "relation"), SITUATIONS, ids=lambda v: str(v))
def test_cases_readable_at_each_tier_are_what_the_matrix_says(role, relation, make_member, make_agency):
    reader, case, _person = reader_in(role, relation, make_member, make_agency)
    membership = reader.membership  # type: ignore[attr-defined]
    tiers = reads(role, relation)
    if relation == Relation.BREAK_GLASS:
        tiers = tiers | reads(role, Relation.OTHER_AGENCY)
    for tier in Tier:
        expected = Tier.METADATA in tiers and tier in tiers
        assert cases_readable_at(membership, tier).filter(pk=case.pk).exists() == expected, tier
