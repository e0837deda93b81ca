"""Blind indexes: normalisation that makes spellings meet, keyed hashes, and look-ups through Person."""

from __future__ import annotations

import base64
import datetime
import os
from collections.abc import Callable
from typing import Any

import pytest
from faker import Faker
from hypothesis import given
from hypothesis import strategies as st

from palermo.accounts.models import Agency
from palermo.cases.models import Case, Person
from palermo.core.blind_index import (
    BlindIndexField,
    birth_date_index,
    dependent_indexes,
    document_index,
    name_index,
    normalise_birth_date,
    normalise_document_number,
    normalise_name,
)

fake = Faker(["ru_RU", "ar_AA", "vi_VN", "sq_AL", "en_GB", "el_GR", "zh_CN"])


@pytest.mark.parametrize(
    "spelling",
    [
        "Ана Петрова",
        "PETROVA Ana",
        "Petrová, Ana",
        "ana   petrova",
        "Petrova-Ana",
        "\uff21\uff2e\uff21 \uff30\uff25\uff34\uff32\uff2f\uff36\uff21",
    ],
)
def test_spellings_of_one_name_normalise_alike(spelling: str) -> None:
    assert normalise_name(spelling) == "ana petrova"
    assert name_index(spelling) == name_index("Ana Petrova")


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("Nguyễn Văn Anh", "ANH Van NGUYEN"),
        ("Il\u02b9ich", "Il'ich"),
        ("Илья Ильич", "Ilich Ilia"),
        ("Ë Çelë", "e cele"),
        ("Strauß", "STRAUSS"),
        ("O\u2019Brien", "OBrien"),
    ],
)
def test_accents_scripts_apostrophes_and_case_vanish(first: str, second: str) -> None:
    assert normalise_name(first) == normalise_name(second)


def test_different_names_do_not_match() -> None:
    assert name_index("Ana Petrova") != name_index("Anna Petrova")
    assert name_index("Ana Petrova") != name_index("Ana")


def test_name_given_in_parts_matches_the_whole() -> None:
    assert name_index("Petrova", "Ana") == name_index("Ana Petrova")
    assert name_index("", "Ana", "") == name_index("Ana")


def test_an_empty_name_has_no_index() -> None:
    assert name_index("") == name_index(" ,.- ") == ""


def test_document_numbers_keep_letters_and_digits_only() -> None:
    assert normalise_document_number(" ab 12-345/6 ") == "AB123456"
    assert document_index("ab 12-345") == document_index("AB12345")
    assert document_index("AB12345") != document_index("AB12346")
    assert document_index("") == ""


def test_birth_dates_are_iso() -> None:
    assert normalise_birth_date(datetime.date(1990, 5, 17)) == "1990-05-17"
    assert normalise_birth_date(" 1990-05-17 ") == "1990-05-17"
    assert birth_date_index("1990-05-17") == birth_date_index(datetime.date(1990, 5, 17))
    assert birth_date_index(None) == ""
    with pytest.raises(ValueError):
        normalise_birth_date("17/05/1990")
    with pytest.raises(TypeError):
        normalise_birth_date(datetime.datetime(1990, 5, 17, tzinfo=datetime.UTC))


def test_kinds_never_collide() -> None:
    assert name_index("1990 05 17") != document_index("19900517")
    assert normalise_name("1990-05-17") == "05 17 1990"


def test_index_is_keyed_hex_sha256(settings: Any) -> None:
    first = name_index("Ana Petrova")
    assert len(first) == 64 and int(first, 16) >= 0
    settings.BLIND_INDEX_KEY = base64.b64encode(os.urandom(32)).decode()
    assert name_index("Ana Petrova") != first


# Property tests: the normaliser must be a fixed point of itself and blind to word order.
name_text = st.text(st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=40)
# Tokens: letters and marks of any script with no separator inside, so that they stay words.
token = st.text(st.characters(categories=["L", "M", "Nd"]), min_size=1, max_size=12)


@given(name_text)
def test_normalising_twice_changes_nothing(text: str) -> None:
    once = normalise_name(text)
    assert normalise_name(once) == once


@given(name_text)
def test_normalised_names_are_sorted_lowercase_ascii_tokens(text: str) -> None:
    tokens = normalise_name(text).split(" ")
    assert tokens == sorted(tokens)
    assert all(t.isascii() and t.isalnum() and t == t.lower() for t in tokens if t)


@given(st.lists(token, min_size=1, max_size=5), st.randoms(use_true_random=False))
def test_word_order_does_not_matter(tokens: list[str], random: Any) -> None:
    shuffled = list(tokens)
    random.shuffle(shuffled)
    assert normalise_name(" ".join(shuffled)) == normalise_name(" ".join(tokens))
    assert normalise_name(", ".join(reversed(tokens))) == normalise_name(" ".join(tokens))


# Zero-width characters, bidirectional marks, embeddings, overrides and isolates, and the soft hyphen.
INVISIBLE = (
    "\u200b\u200c\u200d\u2060\ufeff\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u00ad"
)


@given(name_text, st.lists(st.tuples(st.integers(min_value=0), st.sampled_from(INVISIBLE)), min_size=1))
def test_invisible_characters_anywhere_in_a_name_change_nothing(text: str, insertions: list[Any]) -> None:
    typed = text
    for position, character in insertions:
        at = position % (len(typed) + 1)
        typed = typed[:at] + character + typed[at:]
    assert normalise_name(typed) == normalise_name(text)
    assert name_index(typed) == name_index(text)


@pytest.mark.parametrize("character", INVISIBLE)
def test_an_invisible_character_inside_a_word_does_not_split_it(character: str) -> None:
    assert normalise_name(f"Pe{character}trova A{character}na") == "ana petrova"


@given(st.text(max_size=30))
def test_document_normalising_twice_changes_nothing(text: str) -> None:
    once = normalise_document_number(text)
    assert normalise_document_number(once) == once


def test_a_blind_index_field_needs_a_known_kind_and_one_source_for_dates() -> None:
    with pytest.raises(ValueError, match="unknown"):
        BlindIndexField(sources=("x",), kind="shoe size")
    with pytest.raises(ValueError, match="exactly one source"):
        BlindIndexField(sources=("a", "b"), kind="birth_date")


# Through the Person model.


@pytest.fixture
def case(make_agency: Callable[..., Agency]) -> Case:
    return Case.objects.create(lead_agency=make_agency())


def test_person_is_found_by_any_spelling_of_the_name(case: Case) -> None:
    ana = Person.objects.create(
        case=case,
        given_names="Ана",
        family_names="Петрова",
        given_names_latin="Anna",
        family_names_latin="Petrova",
    )
    Person.objects.create(case=case, given_names="Анна", family_names="Петренко")
    for query in ["Ана Петрова", "PETROVA Ana", "Petrová, Ana", "Anna PETROVA"]:
        assert list(Person.objects.matching_name(query)) == [ana], query
    assert not Person.objects.matching_name("Ana Petrenko").exists()
    assert not Person.objects.matching_name("  ").exists()


def test_person_is_found_by_birth_date(case: Case) -> None:
    born = fake.date_of_birth(minimum_age=18, maximum_age=60)
    person = Person.objects.create(case=case, given_names=fake.first_name(), birth_date=born)
    Person.objects.create(
        case=case, given_names=fake.first_name(), birth_date=born + datetime.timedelta(days=1)
    )
    Person.objects.create(case=case, given_names=fake.first_name())
    assert list(Person.objects.matching_birth_date(born)) == [person]
    assert list(Person.objects.matching_birth_date(born.isoformat())) == [person]


def test_indexes_follow_edits_even_with_update_fields(case: Case) -> None:
    person = Person.objects.create(case=case, given_names="Ana", family_names="Petrova")
    person.family_names = "Ivanova"
    person.save(update_fields=["family_names"])
    assert Person.objects.matching_name("Ana Ivanova").get() == person
    assert not Person.objects.matching_name("Ana Petrova").exists()


def test_indexes_store_hex_not_names(case: Case) -> None:
    person = Person.objects.create(
        case=case, given_names="Ана", family_names="Петрова", birth_date="1990-05-17"
    )
    stored = Person.objects.values_list("name_index", "latin_name_index", "birth_date_index").get(
        pk=person.pk
    )
    assert stored == (name_index("Ана Петрова"), "", birth_date_index("1990-05-17"))


def test_dependent_indexes_are_found_from_their_sources() -> None:
    assert dependent_indexes(Person, ["family_names"]) == {"name_index", "name_sound_index"}
    assert dependent_indexes(Person, ["birth_date", "note"]) == {"birth_date_index"}
    assert dependent_indexes(Person, ["note"]) == set()
