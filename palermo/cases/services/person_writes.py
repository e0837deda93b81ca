"""What every write to a person or to one of its sub-records shares: the tier check before it, the changed
fields of a versioned edit, and the kind of timeline entry it leaves."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Model

from palermo.access.closure import require_open
from palermo.access.policy import can_write
from palermo.access.tiers import Tier
from palermo.accounts.models import Membership
from palermo.cases.models import Case, EventKind
from palermo.cases.services.timeline import Entry


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


def person_entry(summary: str, action: str, tier: Tier, object_type: str) -> Entry:
    """The timeline entry and audit event of a change to a person, at the tier it touched."""
    return Entry(summary, action, int(tier), EventKind.PERSON, object_type)
