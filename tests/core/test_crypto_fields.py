"""Encrypted model fields, through the Person model: round trips, binding to the row, refused write paths."""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Callable
from typing import Any

import pytest
from django.core import checks
from django.core.exceptions import FieldError
from django.db import connection, models, transaction
from django.template import Context, Template
from django.test.utils import isolate_apps
from django.utils.html import escape
from faker import Faker

from palermo.accounts.models import Agency
from palermo.cases.models import Case, Person
from palermo.core import crypto
from palermo.core.fields import (
    EncryptedDateField,
    EncryptedTextField,
    EncryptedWriteError,
    Sealed,
    encrypted_fields,
    field_tier,
)
from tests.names import latin, synthetic_name

LOCALES = ["ru_RU", "ar_AA", "vi_VN", "sq_AL", "en_GB", "el_GR", "ka_GE", "zh_CN"]
fake = Faker(LOCALES)
ENCRYPTED = [
    "given_names",
    "family_names",
    "given_names_latin",
    "family_names_latin",
    "birth_date",
    "current_address",
    "note",
]


@pytest.fixture
def case(make_agency: Callable[..., Agency]) -> Case:
    return Case.objects.create(lead_agency=make_agency())


def synthetic_person(case: Case, locale: str = "ru_RU", **fields: Any) -> Person:
    local = fake[locale]
    given, family = synthetic_name(locale)
    values: dict[str, Any] = {
        "given_names": given,
        "family_names": family,
        "given_names_latin": latin(given),
        "family_names_latin": latin(family),
        "birth_date": local.date_of_birth(minimum_age=1, maximum_age=80),
        "current_address": local.address(),
        "note": local.paragraph(),
    }
    values.update(fields)
    return Person.objects.create(case=case, **values)


def raw_columns(person: Person, *names: str) -> tuple[Any, ...]:
    table = Person._meta.db_table
    quoted = ", ".join(connection.ops.quote_name(name) for name in names)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {quoted} FROM {table} WHERE id = %s", [person.pk])  # noqa: S608
        return tuple(cursor.fetchone())


def write_raw(person: Person, **columns: Any) -> None:
    sets = ", ".join(f"{connection.ops.quote_name(name)} = %s" for name in columns)
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {Person._meta.db_table} SET {sets} WHERE id = %s",  # noqa: S608
            [*columns.values(), person.pk],
        )


@pytest.mark.parametrize("locale", LOCALES)
def test_every_field_round_trips(case: Case, locale: str) -> None:
    person = synthetic_person(case, locale)
    loaded = Person.objects.get(pk=person.pk)
    for name in ENCRYPTED:
        assert getattr(loaded, name) == getattr(person, name), name
    assert isinstance(loaded.birth_date, datetime.date)


def test_columns_hold_ciphertext_not_plaintext(case: Case) -> None:
    person = synthetic_person(case, "el_GR")
    stored = raw_columns(person, *ENCRYPTED)
    for name, value in zip(ENCRYPTED, stored, strict=True):
        plain = getattr(person, name)
        plain = plain.isoformat() if isinstance(plain, datetime.date) else plain
        assert plain not in value, name
        assert crypto.text_key_id(value) == crypto.key_ring().current_id


def test_empty_and_missing_values_stay_empty(case: Case) -> None:
    person = Person.objects.create(case=case, given_names="Ilinca")
    assert raw_columns(person, "family_names", "birth_date", "note") == ("", None, "")
    loaded = Person.objects.get(pk=person.pk)
    assert (loaded.family_names, loaded.birth_date, loaded.note) == ("", None, "")


def test_iso_date_strings_are_accepted_and_come_back_as_dates(case: Case) -> None:
    person = synthetic_person(case, birth_date="1994-02-28")
    assert Person.objects.get(pk=person.pk).birth_date == datetime.date(1994, 2, 28)


def test_each_row_has_its_own_random_identity(case: Case) -> None:
    first, second = synthetic_person(case), synthetic_person(case)
    assert isinstance(first.row_key, uuid.UUID)
    assert first.row_key != second.row_key
    assert Person(case=case).row_key is not None  # known before the first write


def test_the_same_value_encrypts_differently_each_time(case: Case) -> None:
    first = synthetic_person(case, given_names="Teodora")
    second = synthetic_person(case, given_names="Teodora")
    assert raw_columns(first, "given_names") != raw_columns(second, "given_names")


def test_a_value_copied_into_another_row_fails(case: Case) -> None:
    victim, other = synthetic_person(case, "ar_AA"), synthetic_person(case, "vi_VN")
    (token,) = raw_columns(victim, "given_names")
    write_raw(other, given_names=token)
    loaded = Person.objects.get(pk=other.pk)
    with pytest.raises(crypto.DecryptionError, match=r"cases\.person\.given_names") as raised:
        _ = loaded.given_names
    assert victim.given_names not in str(raised.value)


def test_a_value_copied_into_another_field_fails(case: Case) -> None:
    person = synthetic_person(case, "sq_AL")
    (token,) = raw_columns(person, "given_names")
    write_raw(person, family_names=token)
    loaded = Person.objects.get(pk=person.pk)
    assert loaded.given_names == person.given_names
    with pytest.raises(crypto.DecryptionError, match="failed authentication"):
        _ = loaded.family_names


def test_a_changed_row_key_makes_the_row_unreadable(case: Case) -> None:
    person = synthetic_person(case)
    write_raw(person, row_key=uuid.uuid4().hex if connection.vendor == "sqlite" else str(uuid.uuid4()))
    with pytest.raises(crypto.DecryptionError):
        _ = Person.objects.get(pk=person.pk).note


def test_tampered_ciphertext_fails(case: Case) -> None:
    person = synthetic_person(case)
    (token,) = raw_columns(person, "current_address")
    flipped = token[:30] + ("A" if token[30] != "A" else "B") + token[31:]
    write_raw(person, current_address=flipped)
    with pytest.raises(crypto.DecryptionError):
        _ = Person.objects.get(pk=person.pk).current_address


def test_values_decrypt_lazily_and_once(case: Case, monkeypatch: pytest.MonkeyPatch) -> None:
    synthetic_person(case)
    calls: list[int] = []
    real = crypto.decrypt_text

    def counting(token: str, *, associated_data: bytes) -> str:
        calls.append(1)
        return real(token, associated_data=associated_data)

    monkeypatch.setattr(crypto, "decrypt_text", counting)
    loaded = Person.objects.get()
    assert calls == []
    _ = loaded.given_names, loaded.given_names, loaded.given_names
    assert len(calls) == 1


def test_a_page_of_fifty_is_one_query_and_renders_plaintext(
    case: Case, django_assert_num_queries: Any
) -> None:
    people = [synthetic_person(case, LOCALES[i % len(LOCALES)]) for i in range(50)]
    template = Template(
        "{% for p in persons %}{{ p.given_names }} {{ p.family_names }} {{ p.birth_date|date:'Y-m-d' }}|"
        "{% endfor %}"
    )
    with django_assert_num_queries(1):
        html = template.render(Context({"persons": list(Person.objects.filter(case=case))}))
    for person in people:
        assert escape(f"{person.given_names} {person.family_names} {person.birth_date.isoformat()}|") in html


def test_saving_re_encrypts_what_changed_and_keeps_the_rest(case: Case) -> None:
    person = synthetic_person(case)
    loaded = Person.objects.get(pk=person.pk)
    loaded.note = "Synthetic note: moved to a partner shelter."
    loaded.save(update_fields=["note"])
    again = Person.objects.get(pk=person.pk)
    assert again.note == "Synthetic note: moved to a partner shelter."
    assert again.given_names == person.given_names


def test_a_copied_instance_saved_as_a_new_row_is_re_bound(case: Case) -> None:
    person = Person.objects.get(pk=synthetic_person(case).pk)
    person.pk = None
    person.row_key = uuid.uuid4()
    person._state.adding = True
    person.save()
    assert Person.objects.get(pk=person.pk).given_names == person.given_names


def test_values_list_gives_sealed_tokens_never_plaintext(case: Case) -> None:
    person = synthetic_person(case)
    (given, address) = Person.objects.values_list("given_names", "current_address").get()
    assert isinstance(given, Sealed) and isinstance(address, Sealed)
    assert person.given_names not in repr(given)


def test_bulk_create_encrypts(case: Case) -> None:
    Person.objects.bulk_create([Person(case=case, given_names="Marjeta", note="Synthetic")])
    person = Person.objects.get()
    assert (person.given_names, person.note) == ("Marjeta", "Synthetic")
    assert "Marjeta" not in raw_columns(person, "given_names")[0]


def test_paths_that_cannot_know_the_row_refuse_plaintext(case: Case) -> None:
    person = synthetic_person(case)
    secret = "Synthetic Secret Name"
    with pytest.raises(EncryptedWriteError) as raised, transaction.atomic():
        Person.objects.filter(pk=person.pk).update(given_names=secret)
    assert secret not in str(raised.value)
    person.given_names = secret
    with pytest.raises(EncryptedWriteError), transaction.atomic():
        Person.objects.bulk_update([person], ["given_names"])
    assert Person.objects.get(pk=person.pk).given_names != secret


def test_only_isnull_lookups_are_allowed(case: Case) -> None:
    synthetic_person(case, birth_date=None)
    assert Person.objects.filter(birth_date__isnull=True).count() == 1
    with pytest.raises(FieldError):
        Person.objects.filter(given_names="x").count()
    with pytest.raises(FieldError):
        Person.objects.filter(given_names__icontains="x").count()
    with pytest.raises(FieldError):
        Person.objects.filter(birth_date__year=1990).count()


def test_fields_carry_their_tier() -> None:
    tiers = {field.name: field.tier for field in encrypted_fields(Person)}
    assert tiers == {
        "given_names": 2,
        "family_names": 2,
        "given_names_latin": 2,
        "family_names_latin": 2,
        "birth_date": 2,
        "current_address": 3,
        "note": 4,
        "phone": 2,
        "email": 2,
    }
    assert field_tier(Person, "note") == 4
    assert field_tier(Person, "version") is None


def test_tier_must_be_two_to_four() -> None:
    with pytest.raises(ValueError, match="tier 2, 3 or 4"):
        EncryptedTextField(tier=1)
    with pytest.raises(TypeError):
        EncryptedTextField()  # type: ignore[call-arg]


@isolate_apps("palermo.cases")
def test_system_checks_refuse_models_without_a_row_key_and_indexed_encrypted_fields() -> None:
    class Unbound(models.Model):  # noqa: DJ008
        secret = EncryptedTextField(tier=3)
        indexed = EncryptedDateField(tier=2, db_index=True)

        class Meta:
            app_label = "cases"

    errors = [error.id for field in Unbound._meta.fields for error in field.check()]
    assert errors.count("palermo.E001") == 2
    assert errors.count("palermo.E002") == 1
    assert all(isinstance(error, checks.Error) for field in Unbound._meta.fields for error in field.check())


def test_the_real_models_pass_the_checks() -> None:
    assert [error for field in Person._meta.fields for error in field.check()] == []


def test_str_names_the_row_not_the_person(case: Case) -> None:
    person = synthetic_person(case)
    assert person.given_names not in str(person)
    assert person.given_names not in repr(person)
