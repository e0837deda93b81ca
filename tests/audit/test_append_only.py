"""Events cannot be changed or removed: not through the ORM, not by SQL while the triggers stand."""

from __future__ import annotations

import pytest
from django.db import DatabaseError, connection, transaction

from palermo.audit.models import AppendOnlyError, AuditEvent
from palermo.audit.services import audit_record

pytestmark = pytest.mark.any_audit_action


@pytest.fixture
def event(db):
    return audit_record(actor=None, action="system.check", tier=0, reason="original")


def test_saving_an_existing_event_is_refused(event):
    event.reason = "changed"
    with pytest.raises(AppendOnlyError):
        event.save()


def test_deleting_an_event_is_refused(event):
    with pytest.raises(AppendOnlyError):
        event.delete()


@pytest.mark.parametrize(
    "operation",
    [
        lambda qs: qs.update(reason="changed"),
        lambda qs: qs.delete(),
        lambda qs: qs.bulk_update(list(qs), ["reason"]),
        lambda qs: qs.bulk_create([AuditEvent(sequence=99, tier=0)]),
        lambda qs: qs.create(sequence=99, tier=0),
        lambda qs: qs.get_or_create(sequence=99, tier=0),
    ],
    ids=["update", "delete", "bulk_update", "bulk_create", "create", "get_or_create"],
)
def test_queryset_writes_are_refused(event, operation):
    with pytest.raises(AppendOnlyError):
        operation(AuditEvent.objects.all())
    assert AuditEvent.objects.get(pk=event.pk).reason == "original"


@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE audit_auditevent SET reason = 'changed'",
        "DELETE FROM audit_auditevent",
    ],
    ids=["update", "delete"],
)
def test_the_database_refuses_sql_changes(event, sql):
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as c:
        c.execute(sql)
    assert AuditEvent.objects.get(pk=event.pk).reason == "original"


@pytest.mark.skipif(connection.vendor != "postgresql", reason="TRUNCATE is PostgreSQL's")
def test_postgresql_refuses_truncate(event):
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as c:
        c.execute("SET CONSTRAINTS ALL IMMEDIATE")  # else the insert's pending FK checks refuse first
        c.execute("TRUNCATE audit_auditevent")
    assert AuditEvent.objects.filter(pk=event.pk).exists()
