"""Django's `flush`, able to empty the append-only audit table.

The audit triggers refuse DELETE and TRUNCATE, which is also what `flush` (and Django's transactional test
teardown, which calls it) does. Emptying the whole database is a development and test operation; this lifts
the guard only inside the flush's own transaction and restores it before commit.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import CommandError
from django.core.management.commands import flush
from django.db import connections

from palermo.audit import guard


class Command(flush.Command):
    def handle(self, **options: Any) -> None:
        connection = connections[options["database"]]
        if guard.TABLE not in connection.introspection.table_names():
            super().handle(**options)
            return
        if not (settings.DEBUG or settings.EPHEMERAL_KEYS):
            # A deployment's audit log is evidence: no command empties it.
            raise CommandError("flush empties the audit log; it runs only in development and tests")
        with guard.suspended(connection):
            super().handle(**options)
