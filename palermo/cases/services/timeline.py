"""The timeline's one write path: services that change a case call `record_case_change` in their
transaction, which writes the timeline entry and the audit event together (`case_event_add` alone is for the
few entries with no audit event of their own).

An event says THAT something happened ("Note added", "Phase: assistance"), never what a note or document
says; its `tier` is the tier of the thing it points at, so the timeline shows it only to viewers allowed that
tier. Summaries are short, fixed phrases: no names, no free text typed by users.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.utils import timezone, translation
from django.utils.functional import Promise
from django.utils.translation import gettext

from palermo.accounts.models import Membership, User
from palermo.audit.services import audit_record
from palermo.cases.models import Case, CaseEvent, EventKind


class RecordText(str):
    """A summary in the deployment's language (what the record, exports and the API keep) that remembers its
    message and arguments, so that each reader of the timeline reads it in their own language
    (`CaseEvent.summary_for_reader`). `%` keeps them: `in_record_language(PERMIT) % {"end": ...}`."""

    message: str
    arguments: dict[str, str]

    def __new__(cls, text: str, message: str, arguments: dict[str, str] | None = None) -> RecordText:
        made = super().__new__(cls, text)
        made.message, made.arguments = message, arguments or {}
        return made

    def __mod__(self, values: Any) -> RecordText:
        if not isinstance(values, dict):
            return RecordText(str.__mod__(self, values), "")  # positional: nothing a reader could translate
        return RecordText(str.__mod__(self, values), self.message, {k: _source(v) for k, v in values.items()})


def _source(value: Any) -> str:
    """An argument as the message catalogues know it: a lazy label by its source text (translated again for
    each reader), anything else (a date, a name) as it is."""
    if isinstance(value, Promise):
        with translation.override(None):
            return str(value)
    return str(value)


def in_record_language(message: str) -> RecordText:
    """A summary (marked with gettext_noop where it is defined) in the deployment's language: written once,
    the same for every reader of the record; the timeline shows each reader their own language."""
    with translation.override(settings.LANGUAGE_CODE):
        return RecordText(gettext(message), message)


def summary_fields(summary: str) -> dict[str, Any]:
    """A timeline entry's summary columns: the text in the record's language, and its message and arguments
    when it has them (the bulk demo loader writes entries through this too)."""
    if isinstance(summary, RecordText):
        return {"summary": summary[:300], "message": summary.message, "message_arguments": summary.arguments}
    return {"summary": summary[:300]}


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
