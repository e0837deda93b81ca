"""The one write path of the audit log. Every service that writes, and every read at T2 or above, calls
`audit_record` inside its own transaction, so the event commits or rolls back with the work it records."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db import connection, models, transaction
from django.utils import timezone

from palermo.accounts.models import Membership, User
from palermo.audit.chain import GENESIS_HASH, audit_keys, hash_of
from palermo.audit.models import AuditEvent, ChainHead, append_events
from palermo.audit.notes import seal_note
from palermo.core.middleware import current_request_id

if TYPE_CHECKING:
    from palermo.cases.models import Case

MAX_TIER = 4


def _locked_head() -> ChainHead:
    """The chain head, locked until the transaction ends: concurrent writers queue here.

    PostgreSQL: SELECT ... FOR UPDATE on the single row. SQLite: the IMMEDIATE transaction already holds the
    database's write lock. The row is created on first use only (ignore_conflicts makes that race-free): once
    it exists, one query.
    """
    head = ChainHead.objects.select_for_update().filter(id=1).first()
    if head is not None:
        return head
    ChainHead.objects.bulk_create([ChainHead(id=1)], ignore_conflicts=True)
    return ChainHead.objects.select_for_update().get(id=1)


def _hold_cases(case_ids: set[int]) -> None:
    """Hold the case rows the events will name, before the chain head: one lock order everywhere.

    An event's reference to its case takes a KEY SHARE lock on the case row (PostgreSQL checks the foreign
    key, at the latest when the transaction commits). A service that edits a case locks its row FOR UPDATE
    first and takes the head last; a writer that took the head first and then needed the case row waited
    for that service while it waited for the head: a deadlock (issue 15, item 7). Taken here, in id order and
    before the head, a writer waits for the case row while holding nothing the other needs. KEY SHARE does
    not conflict with other readers, other audit writers or ordinary updates, only with FOR UPDATE.
    SQLite's IMMEDIATE transactions serialise writers already.
    """
    if not case_ids or connection.vendor != "postgresql":
        return
    case_model: Any = AuditEvent._meta.get_field("case").related_model
    table = connection.ops.quote_name(case_model._meta.db_table)
    key = connection.ops.quote_name(case_model._meta.pk.column)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT 1 FROM {table} WHERE {key} = ANY(%s) ORDER BY {key} FOR KEY SHARE",  # noqa: S608
            [sorted(case_ids)],
        )


def _check(
    actor: User | None, action: str, tier: int, membership: Membership | None, object_type: str = ""
) -> None:
    """What every event must be; `object_type` is passed for the test suite's check that the kind of record
    has its words (tests/conftest.py), not checked here."""
    if not 0 <= tier <= MAX_TIER:
        raise ValueError(f"tier must be 0-{MAX_TIER}, not {tier}")
    if not action or "." not in action:
        raise ValueError("action must be a dotted verb such as 'case.read'")
    if membership is not None and actor is not None and membership.user_id != actor.pk:
        raise ValueError("the membership must be the actor's own")


@transaction.atomic
def audit_record(
    *,
    actor: User | None,
    action: str,
    tier: int,
    membership: Membership | None = None,
    case: Case | None = None,
    object_type: str = "",
    object_id: str = "",
    reason: str = "",
    note: str = "",
) -> AuditEvent:
    """Append one event to the chain. `actor` None is the system; agency and role come from `membership`.
    `reason` is what the software writes (codes, counts, filters); `note` is free text a person typed, which
    is sealed (palermo.audit.notes) and never shown with the log.

    The chain head stays locked until the caller's transaction ends, so every other writer of the log waits
    that long: call this as the last step of a service, after its own row locks, to keep the wait short and
    the lock order the same everywhere.
    """
    _check(actor, action, tier, membership, object_type)
    _hold_cases({case.pk} if case is not None else set())
    head = _locked_head()
    event = AuditEvent(
        sequence=head.sequence + 1,
        time=timezone.now(),
        actor=actor,
        agency_id=membership.agency_id if membership is not None else None,
        role=str(membership.role) if membership is not None else "",
        action=action,
        object_type=object_type,
        object_id=str(object_id),
        case=case,
        tier=tier,
        reason=reason,
        note=seal_note(note, sequence=head.sequence + 1),
        request_id=current_request_id(),
        prev_hash=head.hash or GENESIS_HASH,
        key_id=audit_keys().current_id,
    )
    event.hash = hash_of(event)
    event.save()
    head.sequence, head.hash = event.sequence, event.hash
    head.save(update_fields=["sequence", "hash"])
    return event


def audit_on_case(
    case: Case | None,
    action: str,
    tier: int,
    *,
    actor: User | None,
    membership: Membership | None = None,
    reason: str = "",
) -> AuditEvent:
    """`audit_record` of an event about the case itself, which it names as its object (no case: none)."""
    return audit_on_record(
        case, "case", action, tier, actor=actor, membership=membership, case=case, reason=reason
    )


def audit_on_record(
    record: models.Model | None,
    object_type: str,
    action: str,
    tier: int,
    *,
    actor: User | None,
    membership: Membership | None = None,
    case: Case | None = None,
    reason: str = "",
    note: str = "",
) -> AuditEvent:
    """`audit_record` of an event about one record, which it names as its object: `object_type` and the
    record's key (no record: no key)."""
    return audit_record(
        actor=actor,
        membership=membership,
        action=action,
        tier=tier,
        case=case,
        object_type=object_type,
        object_id=str(record.pk) if record is not None else "",
        reason=reason,
        note=note,
    )


@dataclass(frozen=True)
class EventRecord:
    """One event for `audit_record_many`: the arguments of `audit_record`, held until they are written."""

    actor: User | None
    action: str
    tier: int
    membership: Membership | None = None
    case: Case | None = None
    object_type: str = ""
    object_id: str = ""
    reason: str = ""
    note: str = ""


@transaction.atomic
def audit_record_many(records: Sequence[EventRecord]) -> list[AuditEvent]:
    """Append several events to the chain in one statement, each linked to the one before as `audit_record`
    links them: the reads of a request are written once it has answered, and one locked head and one insert
    cost far less than a round of both per event. Same checks, same lock order as `audit_record`."""
    if not records:
        return []
    for record in records:
        _check(record.actor, record.action, record.tier, record.membership, record.object_type)
    _hold_cases({record.case.pk for record in records if record.case is not None})
    head = _locked_head()
    sequence, previous = head.sequence, head.hash or GENESIS_HASH
    request_id, now, key_id = current_request_id(), timezone.now(), audit_keys().current_id
    events = []
    for record in records:
        sequence += 1
        event = AuditEvent(
            sequence=sequence,
            time=now,
            actor=record.actor,
            agency_id=record.membership.agency_id if record.membership is not None else None,
            role=str(record.membership.role) if record.membership is not None else "",
            action=record.action,
            object_type=record.object_type,
            object_id=str(record.object_id),
            case=record.case,
            tier=record.tier,
            reason=record.reason,
            note=seal_note(record.note, sequence=sequence),
            request_id=request_id,
            prev_hash=previous,
            key_id=key_id,
        )
        event.hash = previous = hash_of(event)
        events.append(event)
    append_events(events)
    head.sequence, head.hash = sequence, previous
    head.save(update_fields=["sequence", "hash"])
    return events


def audit_export_record(*, actor: User, membership: Membership | None, reason: str) -> AuditEvent:
    """An export of the audit log (the DPO's CSV), recorded before the first row leaves."""
    return audit_record(
        actor=actor,
        membership=membership,
        action="audit.export",
        tier=1,
        object_type="audit_log",
        reason=reason,
    )
