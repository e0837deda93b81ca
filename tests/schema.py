"""Test databases built from the models, and the check that the migrations build the same (decision 0057).

Replaying every migration costs about 45 s of CPU per test database (the migration graph's states are
re-rendered after each operation: most models refer to the case or the user, so each change re-renders dozens
of them), paid by every xdist worker at the start of every run. The tables are created from the models
instead, in about a second, and `add_what_the_migrations_add` adds what the migrations hold beyond the tables:
the audit log's append-only guard and the shipped indicator instruments, and the record of every
migration as applied (the readiness check reads it).

That the two ways give the same database is itself tested (tests/core/test_migrations.py): in two throw-away
databases of the same backend, one migrated for real and one built here, the tables, columns, constraints,
indexes, triggers and rows are compared, and `makemigrations --check` finds nothing to write. Set
PALERMO_TEST_MIGRATIONS=1 to run the whole suite on migrated databases.

    python -m tests.schema migrated|models   # build DATABASE_URL's database one way, print its signature
"""

from __future__ import annotations

import json
import os
import re
import sys
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.db import connection as default_connection
from django.db.backends.base.base import BaseDatabaseWrapper

REPLAY_VARIABLE = "PALERMO_TEST_MIGRATIONS"


class NoMigrations(dict[str, None]):
    """MIGRATION_MODULES that says no app has migrations: `migrate` creates every table from its model."""

    def __contains__(self, app: object) -> bool:
        return True

    def __getitem__(self, app: str) -> None:
        return None


def replay_wanted() -> bool:
    return os.environ.get(REPLAY_VARIABLE, "").strip() == "1"


_kept: list[Any] = []


def migrations_off() -> None:
    """From here, `migrate` creates the tables from the models (as when making a test database)."""
    _kept.append(settings.MIGRATION_MODULES)
    settings.MIGRATION_MODULES = NoMigrations()


def migrations_on() -> None:
    """The migrations as they were: for the tests that read them."""
    settings.MIGRATION_MODULES = _kept.pop()


def create_tables() -> None:
    """Every model's table in DATABASE_URL's database, for a test's subprocess that needs only the tables."""
    migrations_off()
    call_command("migrate", run_syncdb=True, verbosity=0)


def add_what_the_migrations_add(connection: BaseDatabaseWrapper = default_connection) -> None:
    """What the migrations install beyond the tables, as their RunPython operations do it (the data-fixing
    ones find nothing to fix in a new database)."""
    from palermo.audit import guard
    from palermo.identification.loading import load_shipped
    from palermo.identification.models import Dimension, Indicator, Instrument

    guard.install(connection)
    load_shipped(Instrument, Dimension, Indicator)
    record_every_migration_applied(connection)


def record_every_migration_applied(connection: BaseDatabaseWrapper) -> None:
    """As `migrate` leaves them: every migration recorded as applied (the readiness check asks)."""
    from django.db.migrations.loader import MigrationLoader
    from django.db.migrations.recorder import MigrationRecorder

    recorder = MigrationRecorder(connection)
    recorder.ensure_schema()
    nodes = MigrationLoader(connection).graph.nodes
    for key in sorted(nodes):
        # A squashed migration counts as applied only with every migration it replaces (decision 0061).
        for app, name in [*nodes[key].replaces, key]:
            recorder.record_applied(app, name)


# --- the signature of a database: what the comparison compares ---------------------------------------------

FLAGS = ("primary_key", "unique", "foreign_key", "check", "index", "type")


def _sqlite_checks(sql: str) -> list[str]:
    """Every CHECK clause of a table's definition, each with its name where it has one."""
    checks = []
    for start in [index for index in range(len(sql)) if sql.startswith("CHECK (", index)]:
        depth, end = 0, start + len("CHECK ")
        for end in range(start + len("CHECK "), len(sql)):
            depth += {"(": 1, ")": -1}.get(sql[end], 0)
            if depth == 0:
                break
        named = sql[:start].rstrip().rsplit("CONSTRAINT ", 1)
        name = named[1].strip() if len(named) == 2 and " " not in named[1].strip() else ""
        checks.append(f"{name} {sql[start : end + 1]}".strip())
    return sorted(checks)


def _sqlite_constraints(cursor: Any, table: str) -> dict[str, Any]:
    """SQLite's catalogue read directly (Django's introspection misparses a definition whose CHECK holds a
    comma): indexes with their columns, foreign keys, and the CHECK clauses."""
    quoted = table.replace('"', '""')
    indexes = {}
    for _, name, unique, origin, partial in cursor.execute(f'PRAGMA index_list("{quoted}")').fetchall():
        columns = [row[2] for row in cursor.execute(f'PRAGMA index_info("{name}")').fetchall()]
        # Automatic indexes (a column's UNIQUE) are numbered by column order, which migrations change.
        key = f"auto {columns}" if name.startswith("sqlite_autoindex_") else name
        indexes[key] = [columns, unique, origin, partial]
    foreign = sorted(row[2:] for row in cursor.execute(f'PRAGMA foreign_key_list("{quoted}")').fetchall())
    (sql,) = cursor.execute("SELECT sql FROM sqlite_master WHERE name = %s", [table]).fetchone()
    return {"indexes": indexes, "foreign_keys": [list(row) for row in foreign], "checks": _sqlite_checks(sql)}


def _constraints(connection: BaseDatabaseWrapper, cursor: Any, table: str) -> dict[str, Any]:
    if connection.vendor == "sqlite":
        return _sqlite_constraints(cursor, table)
    found = connection.introspection.get_constraints(cursor, table)
    return {
        _pg_name(name, details): [list(details["columns"] or ()), *map(details.get, FLAGS)]
        for name, details in found.items()
    }


def _pg_name(name: str, details: dict[str, Any]) -> str:
    """A field's own UNIQUE is named by PostgreSQL (`<table>_<column>_key`) when its table is created with it,
    and by Django (`<table>_<column>_<hash>_uniq`) when a migration adds it later: the same constraint."""
    generated = name.endswith("_key") or re.fullmatch(r".*_[0-9a-f]{8}_uniq", name)
    if details["unique"] and not details["primary_key"] and generated:
        return f"unique {details['columns']}"
    return name


def _columns(connection: BaseDatabaseWrapper, cursor: Any, table: str) -> dict[str, Any]:
    """Each column's type, nullability and default, from the catalogue (Django's SQLite introspection of
    collations misreads tables whose definition holds a check with a comma)."""
    if connection.vendor == "sqlite":
        cursor.execute(f"PRAGMA table_info({connection.ops.quote_name(table)})")
        return {
            name: [kind, bool(not_null), default] for _, name, kind, not_null, default, _ in cursor.fetchall()
        }
    cursor.execute(
        "SELECT column_name, data_type, character_maximum_length, is_nullable, column_default "
        "FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = %s",
        [table],
    )
    return {
        name: [kind, length, nullable, default] for name, kind, length, nullable, default in cursor.fetchall()
    }


def _triggers(connection: BaseDatabaseWrapper, cursor: Any) -> list[str]:
    if connection.vendor == "sqlite":
        cursor.execute("SELECT tbl_name, name FROM sqlite_master WHERE type = 'trigger'")
    else:
        cursor.execute(
            "SELECT c.relname, t.tgname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
            "WHERE NOT t.tgisinternal"
        )
    return sorted(f"{table}.{name}" for table, name in cursor.fetchall())


def signature(connection: BaseDatabaseWrapper = default_connection) -> dict[str, Any]:
    """The tables with their columns, constraints and indexes and their number of rows, and the triggers.
    Migration bookkeeping (django_migrations) is left out: only a migrated database has it."""
    with connection.cursor() as cursor:
        tables = sorted(set(connection.introspection.table_names(cursor)) - {"django_migrations"})
        described = {}
        for table in tables:
            cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)}")  # noqa: S608 (a table)
            rows = cursor.fetchone()[0]
            described[table] = {
                "columns": _columns(connection, cursor, table),
                "constraints": _constraints(connection, cursor, table),
                "rows": rows,
            }
        return {"tables": described, "triggers": _triggers(connection, cursor)}


def build(way: str) -> None:
    if way == "migrated":
        call_command("migrate", verbosity=0)
    else:
        create_tables()
        add_what_the_migrations_add()
    json.dump(signature(), sys.stdout, sort_keys=True)


if __name__ == "__main__":
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "palermo.settings")
    django.setup()
    build(sys.argv[1])
