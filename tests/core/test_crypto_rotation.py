"""Key rotation: `palermo rotate_keys` keeps every value readable from the first key to the last."""

from __future__ import annotations

import base64
import os
from collections.abc import Callable
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from faker import Faker

from palermo.accounts.models import Agency
from palermo.audit.management.commands.rotate_keys import models_with_encrypted_fields, rotate_batch
from palermo.audit.models import AuditEvent
from palermo.cases.models import Case, Person
from palermo.core import crypto
from palermo.core.fields import encrypted_fields

fake = Faker(["ru_RU", "ar_AA", "vi_VN", "sq_AL", "en_GB"])
FIELDS = [field.name for field in encrypted_fields(Person)]


def new_key(key_id: str) -> str:
    return f"{key_id}:{base64.b64encode(os.urandom(32)).decode()}"


@pytest.fixture
def k1(settings: Any) -> str:
    key = new_key("k1")
    settings.FIELD_KEYS = key
    return key


@pytest.fixture
def people(k1: str, make_agency: Callable[..., Agency]) -> dict[int, dict[str, Any]]:
    """Twelve persons under k1 (one with empty optional fields), and what each field should read."""
    case = Case.objects.create(lead_agency=make_agency())
    expected = {}
    for number in range(12):
        fields: dict[str, Any] = {"given_names": fake.first_name()}
        if number:
            fields |= {
                "family_names": fake.last_name(),
                "birth_date": fake.date_of_birth(minimum_age=1, maximum_age=80),
                "current_address": fake.address(),
                "note": fake.sentence(),
            }
        person = Person.objects.create(case=case, **fields)
        expected[person.pk] = {name: getattr(Person.objects.get(pk=person.pk), name) for name in FIELDS}
    return expected


def all_readable(expected: dict[int, dict[str, Any]]) -> None:
    for person in Person.objects.all():
        assert {name: getattr(person, name) for name in FIELDS} == expected[person.pk]


def stored_key_ids() -> set[str]:
    ids = set()
    for _pk, *stored in Person.objects.values_list("pk", *FIELDS):
        ids |= {value.key_id for value in stored if value not in (None, "")}
    return ids


def rotate(*args: str) -> str:
    out = StringIO()
    call_command("rotate_keys", *args, stdout=out)
    return out.getvalue()


def test_add_k2_in_front_rotate_remove_k1_and_everything_still_reads(
    settings: Any, k1: str, people: dict[int, dict[str, Any]]
) -> None:
    assert stored_key_ids() == {"k1"}
    k2 = new_key("k2")
    settings.FIELD_KEYS = f"{k2}\n{k1}"
    all_readable(people)  # the old key still decrypts before rotation

    output = rotate("--batch-size", "5")
    assert "cases.person: 5 rows read" in output
    assert "cases.person: done, 12 rows, 56 values re-encrypted under k2" in output
    assert stored_key_ids() == {"k2"}
    all_readable(people)

    settings.FIELD_KEYS = k2
    all_readable(people)
    assert AuditEvent.objects.filter(action="keys.rotate", object_type="cases.person").count() == 1


def test_check_counts_values_under_each_key(
    settings: Any, k1: str, people: dict[int, dict[str, Any]]
) -> None:
    settings.FIELD_KEYS = f"{new_key('k2')},{k1}"
    before = rotate("--check")
    assert "cases.person.given_names: k1=12" in before
    assert "cases.person.note: k1=11" in before
    assert "Under the current key k2: 0; under older keys: k1=56" in before
    rotate()
    after = rotate("--check")
    assert "cases.person.given_names: k2=12" in after
    assert "Under the current key k2: 56; none under older keys" in after
    assert "No value uses k1; it can leave the key ring." in after


def test_an_interrupted_rotation_resumes_where_it_stopped(
    settings: Any, k1: str, people: dict[int, dict[str, Any]]
) -> None:
    settings.FIELD_KEYS = f"{new_key('k2')},{k1}"
    _last, read, rewritten = rotate_batch(Person, encrypted_fields(Person), after=None, size=4, current="k2")
    assert (read, rewritten) == (4, 16)  # the first person has 1 value, the next three 5 each
    assert stored_key_ids() == {"k1", "k2"}
    all_readable(people)  # half-way, every value reads

    output = rotate("--batch-size", "4")
    assert "done, 12 rows, 40 values re-encrypted under k2" in output  # only what was left
    assert "done, 12 rows, 0 values re-encrypted" in rotate()  # a third run has nothing to do
    all_readable(people)


def test_rotation_leaves_values_bound_to_their_rows(
    settings: Any, k1: str, people: dict[int, dict[str, Any]]
) -> None:
    settings.FIELD_KEYS = f"{new_key('k2')},{k1}"
    rotate()
    first, second = Person.objects.order_by("pk")[1:3]
    with connection.cursor() as cursor:
        cursor.execute("SELECT note FROM cases_person WHERE id = %s", [first.pk])
        (token,) = cursor.fetchone()
        cursor.execute("UPDATE cases_person SET note = %s WHERE id = %s", [token, second.pk])
    with pytest.raises(crypto.DecryptionError):
        _ = Person.objects.get(pk=second.pk).note


def test_an_unreadable_value_stops_rotation_and_its_batch_is_undone(
    settings: Any, k1: str, people: dict[int, dict[str, Any]]
) -> None:
    victim = Person.objects.order_by("pk")[2]
    with connection.cursor() as cursor:
        cursor.execute("SELECT note FROM cases_person WHERE id = %s", [victim.pk])
        (token,) = cursor.fetchone()
        tampered = token[:-6] + ("AAAA" if token[-6:-2] != "AAAA" else "BBBB") + token[-2:]
        cursor.execute("UPDATE cases_person SET note = %s WHERE id = %s", [tampered, victim.pk])
    settings.FIELD_KEYS = f"{new_key('k2')},{k1}"
    with pytest.raises(
        CommandError, match=rf"cases.person row {victim.pk}: .*failed authentication"
    ) as raised:
        rotate("--batch-size", "100")
    assert people[victim.pk]["note"] not in str(raised.value)
    assert stored_key_ids() == {"k1"}  # nothing of the failed batch was written


def test_check_fails_when_values_are_under_a_key_no_longer_in_the_ring(
    settings: Any, k1: str, people: dict[int, dict[str, Any]]
) -> None:
    settings.FIELD_KEYS = new_key("k2")
    with pytest.raises(CommandError, match="cannot be read: k1"):
        rotate("--check")


def test_rotation_finds_every_model_with_encrypted_fields() -> None:
    found = {
        model._meta.label_lower: [field.name for field in fields]
        for model, fields in models_with_encrypted_fields()
    }
    assert found["cases.person"] == FIELDS
    assert "cases.case" not in found


def test_output_names_keys_and_counts_never_values(
    settings: Any, k1: str, people: dict[int, dict[str, Any]]
) -> None:
    settings.FIELD_KEYS = f"{new_key('k2')},{k1}"
    output = rotate() + rotate("--check")
    for values in people.values():
        for value in values.values():
            if isinstance(value, str) and len(value) > 3:
                assert value not in output
    assert k1.partition(":")[2] not in output
