"""The hash chain: how an event is serialised and hashed. Changing this breaks every existing chain.

Events are keyed (docs/decisions/0021): each carries the id of an audit key and its hash is HMAC-SHA256 under
that key, which lives outside the database (settings.AUDIT_KEYS, from a key file like the field keys). Whoever
owns the database can change a row and recompute every hash after it only with the key; without it the
rewritten event no longer verifies. Events written before keying carry no key id and a plain SHA-256; they are
accepted only up to the sequence number the operator states (settings.AUDIT_UNKEYED_UNTIL).
"""

from __future__ import annotations

import hashlib
import hmac
import json
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from palermo.core.keyrings import FromSetting, parse_ring

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
# A keyed event also binds the id of its key, so it cannot be passed off as one under another key, and its
# sealed note (ciphertext, as stored: the chain is verified without opening it).
KEYED_FIELDS = (*HASHED_FIELDS, "note", "key_id")

MIN_KEY_BYTES = 32


class UnknownAuditKey(LookupError):
    """An event names an audit key that is not in AUDIT_KEYS."""


@dataclass(frozen=True)
class AuditKeyRing:
    current_id: str
    keys: dict[str, bytes]


def parse_audit_keys(text: str) -> AuditKeyRing:
    """'id:base64key' entries separated by newlines or commas; the first signs new events, all verify."""
    keys = parse_ring(text, "AUDIT_KEYS", size=MIN_KEY_BYTES, exact=False)
    return AuditKeyRing(current_id=next(iter(keys)), keys=keys)


# Parsed once per process; again when tests change the setting.
audit_keys = FromSetting("AUDIT_KEYS", parse_audit_keys)


def canonical_time(value: datetime) -> str:
    if value.tzinfo is None:
        raise ValueError("audit times must be timezone-aware")
    return value.astimezone(UTC).isoformat(timespec="microseconds")


def canonical_bytes(values: dict[str, Any]) -> bytes:
    """Sorted-key JSON without whitespace, time as ISO 8601 in UTC with microseconds, UTF-8."""
    fields = KEYED_FIELDS if values.get("key_id") else HASHED_FIELDS
    data = {name: values[name] for name in fields}
    data["time"] = canonical_time(data["time"])
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def event_hash(values: dict[str, Any]) -> str:
    """HMAC-SHA256 under the key named by `key_id`; a plain SHA-256 for an event without one (before keying).
    Raises UnknownAuditKey when the key is not in the ring."""
    key_id = values.get("key_id") or ""
    if not key_id:
        return hashlib.sha256(canonical_bytes(values)).hexdigest()
    key = audit_keys().keys.get(key_id)
    if key is None:
        raise UnknownAuditKey(f"audit key {key_id!r} is not in AUDIT_KEYS")
    return hmac.new(key, canonical_bytes(values), hashlib.sha256).hexdigest()


def hash_of(event: AuditEvent) -> str:
    """The hash an event should carry, recomputed from its stored fields."""
    return event_hash({name: getattr(event, name) for name in KEYED_FIELDS})
