"""The migrations build the database the tests run on (decision 0057).

The test databases are made from the models (tests/schema.py); a deployment is made by its migrations. Here
both are made, in throw-away databases of the run's own backend (SQLite files, or scratch databases on the
PostgreSQL server the run uses), each by a process of its own, and compared: the same tables, columns,
constraints, indexes, triggers and rows. And the models hold no change that no migration says yet.
"""

from __future__ import annotations

import copy
import json
import os
import secrets
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.management import call_command

from tests import schema

ROOT = Path(__file__).resolve().parents[2]
WAYS = ("migrated", "models")


@pytest.mark.django_db
def test_the_models_hold_no_change_without_its_migration() -> None:
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)  # exits with 1 on a missing one


@contextmanager
def scratch_databases(tmp_path: Path) -> Iterator[dict[str, str]]:
    """A database URL for each way, on the backend the tests run on; dropped afterwards."""
    database = settings.DATABASES["default"]
    if database["ENGINE"] == "django.db.backends.sqlite3":
        yield {way: f"sqlite:///{tmp_path / way}.sqlite3" for way in WAYS}
        return
    import psycopg

    server = f"postgresql://{database['USER']}:{database['PASSWORD']}@{database['HOST']}:{database['PORT']}"
    names = {way: f"palermo_schema_{secrets.token_hex(4)}_{way}" for way in WAYS}
    with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
        for name in names.values():
            admin.execute(f"CREATE DATABASE {name}")
        try:
            yield {way: f"{server}/{name}" for way, name in names.items()}
        finally:
            for name in names.values():
                admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def built(urls: dict[str, str]) -> dict[str, Any]:
    """Both databases built at once (each in its own process), and their signatures."""
    children = {}
    for way, url in urls.items():
        environment = {**os.environ, "DATABASE_URL": url, "PALERMO_EPHEMERAL_KEYS": "1"}
        environment.pop("DJANGO_SETTINGS_MODULE", None)
        children[way] = subprocess.Popen(  # noqa: S603  (this interpreter, a fixed module, fixed arguments)
            [sys.executable, "-m", "tests.schema", way],
            cwd=ROOT,
            env=environment,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
    signatures = {}
    for way, child in children.items():
        out, err = child.communicate(timeout=600)
        assert child.returncode == 0, err[-2000:]
        signatures[way] = json.loads(out)
    return signatures


# Django's own table as Django makes it: on PostgreSQL its migration makes the id a bigint, its model integer.
KNOWN = {("auth_group_permissions", "columns", "id")}


def differences(migrated: dict[str, Any], models: dict[str, Any]) -> list[str]:
    """Where the two signatures part: table, part (columns, constraints, rows) and name, both ways."""
    found = []
    for table in sorted(migrated["tables"].keys() | models["tables"].keys()):
        one, other = migrated["tables"].get(table), models["tables"].get(table)
        if one is None or other is None:
            found.append(f"{table}: only in the {'models' if one is None else 'migrated'} database")
            continue
        for part in one:
            if not isinstance(one[part], dict):
                if one[part] != other[part]:
                    found.append(f"{table} {part}: migrated {one[part]}, models {other[part]}")
                continue
            for name in sorted(one[part].keys() | other[part].keys()):
                mine, theirs = one[part].get(name), other[part].get(name)
                if mine != theirs and (table, part, name) not in KNOWN:
                    found.append(f"{table} {part} {name}: migrated {mine}, models {theirs}")
    if migrated["triggers"] != models["triggers"]:
        found.append(f"triggers: migrated {migrated['triggers']}, models {models['triggers']}")
    return found


def test_the_migrations_build_the_database_the_models_make(tmp_path: Path) -> None:
    with scratch_databases(tmp_path) as urls:
        signatures = built(urls)
    migrated = signatures["migrated"]
    assert migrated["triggers"], "the audit log's append-only guard is installed"
    assert migrated["tables"]["identification_instrument"]["rows"] > 0, "the shipped instruments are loaded"
    assert differences(migrated, signatures["models"]) == []


@pytest.mark.django_db
def test_a_difference_is_named_with_its_table_and_part() -> None:
    """The comparison itself, on this test database's signature changed three ways."""
    made = schema.signature()
    changed = copy.deepcopy(made)
    changed["tables"]["cases_case"]["columns"].pop("reference")
    changed["tables"]["identification_instrument"]["rows"] += 1
    changed["triggers"] = changed["triggers"][1:]
    found = differences(made, changed)
    assert len(found) == 3
    assert found[0].startswith("cases_case columns reference: migrated [")
    assert found[1].startswith("identification_instrument rows: migrated")
    assert found[2].startswith("triggers: ")
    assert differences(made, copy.deepcopy(made)) == []
