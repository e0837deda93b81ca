"""How the look-up finds people: keyed indexes only (nothing decrypted), sound keys across transliterations,
spellings one character away, and a cost that does not grow with the number of persons."""

from __future__ import annotations

import datetime

import pytest

from palermo.cases.models import Person, PersonAlias
from palermo.core import crypto
from palermo.core.blind_index import (
    name_index,
    name_sound_index,
    near_document_indexes,
    near_name_indexes,
    sound_key,
)
from palermo.reflection.matching import by_document, by_name_and_birth_date, swapped
from palermo.reflection.services.lookup import LookupQuery, removal_lookup
from tests.names import synthetic_name
from tests.queries import Queries
from tests.reflection.conftest import add_person

pytestmark = pytest.mark.django_db
BORN = datetime.date(1985, 3, 9)


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("Юлия Петрова", "Yulia Petrowa"),
        ("Iuliia Petrova", "Julia Petrova"),
        ("Mohammed Al-Khalid", "Muhammad Al Halid"),
        ("Aleksandr Ivanov", "Alexander Iwanow"),
        ("Nguyễn Thị Lan", "Nguyen Thi Lan"),
        ("Schmidt Anna", "Anna Shmidt"),
    ],
)
def test_transliterations_share_a_sound_key(one, other):
    assert sound_key(one) == sound_key(other)
    assert name_sound_index(one) == name_sound_index(other)


def test_different_names_keep_different_sound_keys():
    assert sound_key("Maria Popescu") != sound_key("Elena Ionescu")
    assert sound_key("Ana Petrova") != sound_key("Ana Petrova Ionescu")  # a word more is not the same name


def test_near_indexes_hold_every_one_character_spelling_and_not_the_exact_one():
    near = near_name_indexes("Maria Popescu")
    assert name_index("Maria Popescu") not in near
    for variant in ("Marla Popescu", "Maria Popesc", "Mariaa Popescu", "MariaPopescu", "Popescu Marja"):
        assert name_index(variant) in near
    assert name_index("Marla Popesco") not in near  # two characters off
    assert len(near_document_indexes("AB1234")) > 100


def test_swapped_dates():
    assert swapped(datetime.date(1990, 5, 7)) == datetime.date(1990, 7, 5)
    assert swapped(datetime.date(1990, 5, 17)) is None  # no 17th month
    assert swapped(datetime.date(1990, 5, 5)) is None  # the same date


def test_nothing_is_decrypted_to_answer(team_case, migration_officer, monkeypatch):
    person = add_person(team_case, document="AB 998877", birth_date=BORN)
    PersonAlias(person=person, name=" ".join(synthetic_name("en_GB"))).save()
    name = f"{person.given_names} {person.family_names}"

    def refuse(*args, **kwargs):
        raise AssertionError("a look-up decrypted a stored value")

    monkeypatch.setattr(crypto, "decrypt_text", refuse)
    for query in (
        LookupQuery(document_number="AB 998877"),
        LookupQuery(document_number="AB 998878"),
        LookupQuery(name=name, birth_date=BORN),
        LookupQuery(name=name + "x", birth_date=BORN),
    ):
        answer = removal_lookup(query=query, actor=migration_officer, membership=migration_officer.membership)
        assert answer.finding.value in {"protected", "possible_match"}


def test_an_alias_sounding_the_same_is_a_near_match(team_case):
    person = add_person(team_case, birth_date=BORN)
    PersonAlias(person=person, name="Юлия Петрова").save()
    assert by_name_and_birth_date("Yulia Petrowa", BORN).near == {team_case.pk}
    assert by_name_and_birth_date("Iuliia Petrova", BORN).matches == {team_case.pk}


def test_finding_costs_the_same_queries_for_few_or_many_persons(make_case, responder):
    def cost() -> tuple[int, int]:
        with Queries() as by_name:
            by_name_and_birth_date("Maria Popescu", BORN)
        with Queries() as by_number:
            by_document("AB 998877")
        return len(by_name), len(by_number)

    first = None
    for count in range(8):
        case = make_case(team=(responder,))
        person = add_person(case, document="AB 998877", birth_date=BORN)
        person.given_names, person.family_names = ("Maria", "Popescu") if count % 2 else ("Marla", "Popescu")
        person.save()
        if first is None:
            first = cost()
    assert cost() == first == (2, 1)
    found = by_name_and_birth_date("Maria Popescu", BORN)
    assert len(found.matches) == 4 and len(found.near) == 4
    assert Person.objects.count() == 8
