"""Concurrent writers take turns at the chain head: no two events link to the same predecessor."""

from __future__ import annotations

import threading

import pytest
from django.core.management import call_command
from django.db import DatabaseError, connection, connections, transaction

from palermo.audit.models import AuditEvent
from palermo.audit.services import audit_record
from palermo.audit.verify import verify_chain

pytestmark = pytest.mark.any_audit_action

WRITERS = 8
EVENTS_EACH = 25


@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite serialises writers by itself")
@pytest.mark.django_db(transaction=True)
def test_concurrent_appends_form_one_unbroken_chain():
    start = threading.Barrier(WRITERS)
    errors: list[BaseException] = []

    def write(writer: int) -> None:
        try:
            start.wait()
            for n in range(EVENTS_EACH):
                with transaction.atomic():  # as a caller's own transaction would
                    audit_record(actor=None, action="system.check", tier=0, object_id=f"{writer}-{n}")
        except BaseException as error:  # reported to the main thread
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=write, args=(w,)) for w in range(WRITERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    verdict = verify_chain()
    assert verdict.intact, verdict.broken
    assert verdict.count == WRITERS * EVENTS_EACH
    prev_hashes = list(AuditEvent.objects.values_list("prev_hash", flat=True))
    assert len(set(prev_hashes)) == len(prev_hashes)


@pytest.mark.django_db(transaction=True)
def test_flush_empties_the_log_and_puts_the_guard_back():
    audit_record(actor=None, action="system.check", tier=0)
    call_command("flush", interactive=False, verbosity=0)
    assert not AuditEvent.objects.exists()
    audit_record(actor=None, action="system.check", tier=0)
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as c:
        c.execute("DELETE FROM audit_auditevent")
    assert verify_chain().intact
