"""The schema of the models in a throw-away database of a subprocess, at the cost of creating its tables.

Replaying every migration costs 25-35 s of CPU (the migration graph's states, then each operation), which a
test that only needs the tables (a sign-in over TLS, what the SQLite file holds at rest, an import killed
half-way) need not pay: the tables are created from the models as the migrations leave them
(`makemigrations --check` keeps the two alike; every test database is migrated for real)."""

from __future__ import annotations

from django.conf import settings
from django.core.management import call_command


class _NoMigrations(dict[str, None]):
    def __contains__(self, app: object) -> bool:
        return True

    def __getitem__(self, app: str) -> None:
        return None


def create_tables() -> None:
    settings.MIGRATION_MODULES = _NoMigrations()
    call_command("migrate", run_syncdb=True, verbosity=0)
