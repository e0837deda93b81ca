"""The hash chain: how an event is serialised and hashed. Changing this breaks every existing chain."""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from palermo.audit.models import AuditEvent

GENESIS_HASH = "0" * 64

# The fields that are hashed, by their column names (foreign keys as ids).
HASHED_FIELDS = (
    "sequence",
    "time",
    "actor_id",
    "agency_id",
    "role",
    "action",
    "object_type",
    "object_id",
    "case_id",
    "tier",
    "reason",
    "request_id",
    "prev_hash",
)


def canonical_time(value: datetime) -> str:
    if value.tzinfo is None:
        raise ValueError("audit times must be timezone-aware")
    return value.astimezone(UTC).isoformat(timespec="microseconds")


def canonical_bytes(values: dict[str, Any]) -> bytes:
    """Sorted-key JSON without whitespace, time as ISO 8601 in UTC with microseconds, UTF-8."""
    data = {name: values[name] for name in HASHED_FIELDS}
    data["time"] = canonical_time(data["time"])
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def event_hash(values: dict[str, Any]) -> str:
    return hashlib.sha256(canonical_bytes(values)).hexdigest()


def hash_of(event: AuditEvent) -> str:
    """The hash an event should carry, recomputed from its stored fields."""
    return event_hash({name: getattr(event, name) for name in HASHED_FIELDS})
