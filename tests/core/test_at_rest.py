"""Proof at rest: the database's own bytes hold no name, birth date or address of the persons in it.

Persons with distinctive synthetic names in many scripts are written through the ORM, then the raw storage is
searched for every value in UTF-8, UTF-16 (both byte orders) and the normalised forms used for blind indexes.
SQLite: a file database built by a separate process, read byte for byte after a WAL checkpoint. PostgreSQL:
`pg_dump` of the test database. A control value that is not encrypted (the agency's name) must be found, which
shows the search would have seen the others.
"""

from __future__ import annotations

import base64
import json
import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest
from django.db import connection
from faker import Faker

from palermo.accounts.models import Agency
from palermo.cases.models import Case, Person
from palermo.core.blind_index import normalise_name
from tests.names import latin

LOCALES = ["ru_RU", "ar_AA", "vi_VN", "sq_AL", "en_GB", "el_GR", "ka_GE", "zh_CN", "th_TH", "hi_IN", "uk_UA"]
CONTROL_AGENCY = "Synthetic Control Agency Lantern-7"


def synthetic_people(per_locale: int = 3) -> list[dict[str, str]]:
    """Two given names and two family names each, so that every value is long enough to be unmistakable."""
    fake = Faker(LOCALES)
    fake.seed_instance(int.from_bytes(os.urandom(4), "big"))
    people = []
    for locale in LOCALES:
        local = fake[locale]
        for _ in range(per_locale):
            given = f"{local.first_name()} {local.first_name()}"
            family = f"{local.last_name()} {local.last_name()}"
            people.append(
                {
                    "given_names": given,
                    "family_names": family,
                    "given_names_latin": latin(given),
                    "family_names_latin": latin(family),
                    "birth_date": local.date_of_birth(minimum_age=1, maximum_age=90).isoformat(),
                    "current_address": local.address(),
                    "note": f"Synthetic account: {local.sentence(nb_words=8)}",
                }
            )
    return people


def _distinctive(text: str) -> bool:
    # Short ASCII strings could turn up by chance inside base64 ciphertext; anything else cannot.
    text = text.strip()
    return len(text) >= 8 if text.isascii() else len(text.encode()) >= 6


def needles(people: list[dict[str, str]]) -> set[str]:
    found: set[str] = set()
    for person in people:
        values = [*person.values(), f"{person['given_names']} {person['family_names']}"]
        values += [line.strip(" ,") for line in person["current_address"].splitlines()]
        values += person["given_names"].split() + person["family_names"].split()
        values.append(normalise_name(f"{person['given_names']} {person['family_names']}"))
        found |= {value.strip() for value in values if _distinctive(value)}
    return found


def encoded_forms(text: str) -> list[bytes]:
    return [text.encode("utf-8"), text.encode("utf-16-le"), text.encode("utf-16-be")]


def leaked(storage: bytes, people: list[dict[str, str]]) -> list[str]:
    """Which needles appear in the storage; returned as positions, never printed as values."""
    return [
        f"person {index} value {sorted(needles([person])).index(needle)}"
        for index, person in enumerate(people)
        for needle in sorted(needles([person]))
        if any(form in storage for form in encoded_forms(needle))
    ]


def new_key() -> str:
    return base64.b64encode(os.urandom(32)).decode()


WRITER = textwrap.dedent(
    """
    import json, sys
    import django
    django.setup()
    from django.db import connection
    from palermo.accounts.models import Agency
    from palermo.cases.models import Case, Person
    from tests.schema import create_tables

    create_tables()
    agency = Agency.objects.create(name=sys.argv[2], type="ngo")
    case = Case.objects.create(lead_agency=agency)
    for fields in json.load(open(sys.argv[1], encoding="utf-8")):
        Person.objects.create(case=case, **fields)
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    connection.close()
    """
)


def test_sqlite_file_holds_no_plaintext(tmp_path: Path) -> None:
    people = synthetic_people()
    (tmp_path / "people.json").write_text(json.dumps(people), encoding="utf-8")
    database = tmp_path / "at_rest.sqlite3"
    field_key, index_key = new_key(), new_key()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "palermo.settings",
        "DATABASE_URL": f"sqlite:///{database}",
        "PALERMO_VAR_DIR": str(tmp_path),
        "PALERMO_FIELD_KEYS": f"k1:{field_key}",
        "PALERMO_BLIND_INDEX_KEY": index_key,
        "PALERMO_AUDIT_KEYS": f"a1:{new_key()}",
    }
    subprocess.run(  # noqa: S603 - our own interpreter and script
        [sys.executable, "-c", WRITER, str(tmp_path / "people.json"), CONTROL_AGENCY],
        env=env,
        check=True,
        timeout=300,
        capture_output=True,
    )
    storage = b"".join(path.read_bytes() for path in sorted(tmp_path.glob("at_rest.sqlite3*")))

    assert CONTROL_AGENCY.encode() in storage, "the search must see values that are not encrypted"
    assert len(needles(people)) > 5 * len(people)
    assert leaked(storage, people) == []
    for key in (field_key, index_key):
        assert key.encode() not in storage and base64.b64decode(key) not in storage


@pytest.mark.django_db(transaction=True)
def test_postgresql_dump_holds_no_plaintext(settings: Any) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("pg_dump applies to PostgreSQL only")
    pg_dump = shutil.which("pg_dump")
    if pg_dump is None:
        pytest.skip("pg_dump (postgresql-client) is not installed")
    people = synthetic_people()
    case = Case.objects.create(lead_agency=Agency.objects.create(name=CONTROL_AGENCY, type="ngo"))
    for fields in people:
        Person.objects.create(case=case, **fields)

    db = connection.settings_dict
    env = {**os.environ, "PGPASSWORD": db.get("PASSWORD") or ""}
    command = [pg_dump, "--no-owner", "--dbname", db["NAME"], "--host", db.get("HOST") or "localhost"]
    command += ["--port", str(db.get("PORT") or 5432), "--username", db.get("USER") or "postgres"]
    dump = subprocess.run(command, env=env, check=True, capture_output=True, timeout=300).stdout  # noqa: S603

    assert CONTROL_AGENCY.encode() in dump, "the search must see values that are not encrypted"
    assert leaked(dump, people) == []
    field_key = settings.FIELD_KEYS.split(",")[0].split("\n")[0].partition(":")[2].strip()
    assert field_key.encode() not in dump


@pytest.mark.parametrize("encoding", ["utf-8", "utf-16-le", "utf-16-be"])
def test_the_search_finds_plaintext_in_any_encoding(encoding: str) -> None:
    people = synthetic_people(per_locale=1)
    person = people[1]
    storage = b"\x00header" + person["family_names"].encode(encoding) + b"\x00trailer"
    assert leaked(storage, people) != []
    assert leaked(b"\x00header\x00trailer", people) == []
