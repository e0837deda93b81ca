"""Django's `flush`, able to empty the append-only audit table.

The audit triggers refuse DELETE and TRUNCATE, which is also what `flush` (and Django's transactional test
teardown, which calls it) does. Emptying the whole database is a development and test operation; this lifts
the guard only inside the flush's own transaction and restores it before commit.

On PostgreSQL the teardown of a transactional test (non-interactive, sequences kept) deletes the rows instead
of truncating the tables: TRUNCATE gives every table and index new files, about half a second for this schema
and several seconds on a busy machine, after each such test; the few rows a test writes go at once by DELETE.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import CommandError
from django.core.management.commands import flush
from django.core.management.sql import emit_post_migrate_signal
from django.db import connections
from django.db.backends.base.base import BaseDatabaseWrapper

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
            if _rows_deleted(connection, options):
                return
            super().handle(**options)


def _rows_deleted(connection: BaseDatabaseWrapper, options: dict[str, Any]) -> bool:
    """Empty every table by DELETE where a test's teardown asks (PostgreSQL, no prompt, sequences kept), in
    the flush's transaction: the foreign keys are deferred, so they are checked once every table is empty.
    False where Django's own flush is to run."""
    if connection.vendor != "postgresql" or options["interactive"] or options.get("reset_sequences", True):
        return False
    tables = connection.introspection.django_table_names(only_existing=True, include_views=False)
    quote = connection.ops.quote_name
    connection.ops.execute_sql_flush([f"DELETE FROM {quote(table)}" for table in tables])  # noqa: S608
    if tables and not options.get("inhibit_post_migrate", False):
        emit_post_migrate_signal(options["verbosity"], False, options["database"])
    return True
