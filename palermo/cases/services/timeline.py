"""The timeline's one write path: services that change a case declare what the change puts on the record as an
`Entry` and call `record_entry` in their transaction, which writes the timeline entry and the audit event
together through `record_case_change` (`entry_add` alone is for the few entries with no audit event of their
own). See docs/decisions/0025.

An event says THAT something happened ("Note added", "Phase: assistance"), never what a note or document
says; its `tier` is the tier of the thing it points at, so the timeline shows it only to viewers allowed that
tier. Summaries are short, fixed phrases: no names, no free text typed by users.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, NamedTuple, TypeVar

from django.db import models
from django.utils import timezone

from palermo.accounts.models import Membership, User
from palermo.audit.services import audit_record
from palermo.cases.models import Case, CaseEvent, EventKind
from palermo.core.text import in_record_language, message_columns


def summary_fields(summary: str) -> dict[str, Any]:
    """A timeline entry's summary columns: the text in the record's language, and its message and arguments
    when it has them (the bulk demo loader writes entries through this too)."""
    return {"summary": summary[:300], **message_columns(summary)}


def case_event_add(
    *,
    actor: User | None,
    membership: Membership | None,
    case: Case,
    kind: EventKind | str,
    tier: int,
    summary: str,
    object_type: str = "",
    object_id: str | int = "",
) -> CaseEvent:
    """Append one entry to the case's timeline (called inside the calling service's transaction)."""
    if not 1 <= tier <= 4:
        raise ValueError(f"a timeline entry is at tier 1-4, not {tier}")
    event = CaseEvent.objects.create(
        case=case,
        kind=EventKind(kind),
        tier=tier,
        **summary_fields(summary),
        occurred_at=timezone.now(),
        actor=actor,
        agency_id=membership.agency_id if membership is not None else None,
        object_type=object_type,
        object_id=str(object_id),
    )
    return event


def record_case_change(
    *,
    actor: User | None,
    membership: Membership | None,
    case: Case,
    kind: EventKind | str,
    summary: str,
    tier: int,
    action: str,
    object_type: str = "",
    object_id: str | int = "",
    audit_tier: int | None = None,
    reason: str = "",
    note: str = "",
) -> CaseEvent:
    """A change to a case: its timeline entry and its audit event, in the caller's transaction. The audit
    event is written last (it locks the chain head until the transaction ends; see `audit_record`).
    `audit_tier` is the tier of what was written when it differs from the entry's tier. `note` is free text a
    person typed (a reason for closing): sealed in the audit event, never in clear (`audit_record`)."""
    event = case_event_add(
        actor=actor,
        membership=membership,
        case=case,
        kind=kind,
        tier=tier,
        summary=summary,
        object_type=object_type,
        object_id=object_id,
    )
    audit_record(
        actor=actor,
        membership=membership,
        action=action,
        tier=tier if audit_tier is None else audit_tier,
        case=case,
        object_type=object_type,
        object_id=str(object_id),
        reason=reason,
        note=note,
    )
    return event


class Entry(NamedTuple):
    """What one kind of change puts on a case's record: the timeline summary (a message marked with
    gettext_noop, written in the record language), the audit action, the entry's tier and kind, the type the
    audit event names the changed record by (its model's name when empty) and the audit event's tier when it
    differs from the entry's (the tier of what was written)."""

    summary: str
    action: str
    tier: int
    kind: EventKind
    object_type: str = ""
    audit_tier: int | None = None


Key = TypeVar("Key")


def entries_for(
    summaries: Mapping[Key, str],
    action: str,
    tier: int,
    kind: EventKind,
    object_type: str = "",
    audit_tier: int | None = None,
) -> dict[Key, Entry]:
    """One entry for each summary of `summaries` (an outcome's, a conclusion's...), alike in all else."""
    return {
        key: Entry(summary, action, tier, kind, object_type, audit_tier) for key, summary in summaries.items()
    }


def _entry_fields(
    entry: Entry, record: models.Model, case: Case | None, tier: int | None, values: Mapping[str, Any] | None
) -> dict[str, Any]:
    summary = in_record_language(entry.summary)
    if case is None:
        case = record if isinstance(record, Case) else record.case  # type: ignore[attr-defined]
    return {
        "case": case,
        "kind": entry.kind,
        "tier": entry.tier if tier is None else tier,
        "summary": summary if values is None else summary % values,
        "object_type": entry.object_type or record._meta.model_name or "",
        "object_id": record.pk,
    }


def record_entry(
    entry: Entry,
    record: models.Model,
    *,
    actor: User | None,
    membership: Membership | None,
    case: Case | None = None,
    tier: int | None = None,
    audit_tier: int | None = None,
    values: Mapping[str, Any] | None = None,
    reason: str = "",
    note: str = "",
) -> CaseEvent:
    """`record_case_change` for one changed record, as its `entry` says. The case is the record's own (or the
    record itself) unless given; `tier` and `audit_tier` are for a record whose tiers vary (a note's),
    `values` fill the summary's placeholders."""
    return record_case_change(
        actor=actor,
        membership=membership,
        **_entry_fields(entry, record, case, tier, values),
        action=entry.action,
        audit_tier=entry.audit_tier if audit_tier is None else audit_tier,
        reason=reason,
        note=note,
    )


def entry_add(
    entry: Entry,
    record: models.Model,
    *,
    actor: User | None,
    membership: Membership | None,
    case: Case | None = None,
    values: Mapping[str, Any] | None = None,
) -> CaseEvent:
    """`case_event_add` for an entry with no audit event of its own (the change it follows has one, or it is
    the system's notice): as `record_entry`, but the entry's action is not used."""
    return case_event_add(
        actor=actor, membership=membership, **_entry_fields(entry, record, case, None, values)
    )
