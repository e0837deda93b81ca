"""What every write to a person or to one of its sub-records shares: the tier check before it, the changed
fields of a versioned edit, and the timeline entry and audit event it leaves."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Model

from palermo.access.closure import require_open
from palermo.access.policy import can_write
from palermo.access.tiers import Tier
from palermo.accounts.models import Membership, User
from palermo.cases.models import Case, EventKind
from palermo.cases.services.timeline import in_record_language, record_case_change


def require_write(membership: Membership, case: Case, tiers: Iterable[Tier]) -> None:
    for tier in set(tiers):
        if not can_write(membership, case, tier):
            require_open(case)  # say so when the case being closed is why (palermo.access.closure)
            raise PermissionDenied(f"this membership may not write {tier.code} on this case")


def apply_changes(record: Model, cleaned: Mapping[str, Any]) -> list[str]:
    """Set the cleaned values that differ from the record's; returns the names of the fields changed."""
    changed = [name for name, value in cleaned.items() if getattr(record, name) != value]
    for name in changed:
        setattr(record, name, cleaned[name])
    return changed


def record_person_change(
    *,
    actor: User,
    membership: Membership,
    case: Case,
    summary: str,
    tier: Tier,
    action: str,
    object_type: str,
    object_id: int,
) -> None:
    """The timeline entry and the audit event every change to a person writes, at the tier it touched."""
    record_case_change(
        actor=actor,
        membership=membership,
        case=case,
        kind=EventKind.PERSON,
        tier=int(tier),
        summary=in_record_language(summary),
        action=action,
        object_type=object_type,
        object_id=object_id,
    )
