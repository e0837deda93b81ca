"""The DPO's export of the audit log as CSV: the filtered events, streamed in chunks, the export recorded
before the first row leaves (an export is itself an event of the log)."""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator

from django.db.models import QuerySet

from palermo.accounts.models import Membership, User
from palermo.audit.models import AuditEvent
from palermo.audit.services import audit_export_record
from palermo.core.spreadsheets import defused

EXPORT_CHUNK = 2000
EXPORT_COLUMNS = (
    "sequence",
    "time",
    "actor_id",
    "actor",
    "agency_id",
    "role",
    "action",
    "object_type",
    "object_id",
    "case",
    "tier",
    "reason",
    "request_id",
    "prev_hash",
    "hash",
)


def exported_lines(
    events: QuerySet[AuditEvent], *, actor: User, membership: Membership | None, reason: str
) -> Iterator[str]:
    """The CSV lines of `events`, the export recorded (with `reason`, the filters used) before this returns,
    so the record never waits on the reader of the stream."""
    audit_export_record(actor=actor, membership=membership, reason=reason)
    return _csv_lines(events.iterator(chunk_size=EXPORT_CHUNK))


class _Echo:
    """A file-like object whose write returns the line, so csv.writer can feed a generator."""

    def write(self, value: str) -> str:
        return value


def _exported_reason(event: AuditEvent) -> str:
    """The software's own reason. Events written before the chain was keyed (no key id) may carry a reason a
    person typed about a case, in clear: the export, which does not need it, leaves those out. Later events
    keep such text in their sealed note, which is never exported."""
    return "" if not event.key_id and event.case_id is not None else event.reason


def _row(event: AuditEvent) -> list[str]:
    return [
        str(event.sequence),
        event.time.isoformat(),
        str(event.actor_id or ""),
        defused(event.actor.get_username() if event.actor else ""),
        str(event.agency_id or ""),
        event.role,
        defused(event.action),
        defused(event.object_type),
        defused(event.object_id),
        event.case.reference if event.case else "",
        str(event.tier),
        defused(_exported_reason(event)),
        event.request_id,
        event.prev_hash,
        event.hash,
    ]


def _csv_lines(events: Iterable[AuditEvent]) -> Iterator[str]:
    writer = csv.writer(_Echo())
    yield writer.writerow(EXPORT_COLUMNS)
    for event in events:
        yield writer.writerow(_row(event))
