"""The hash chain: how an event is serialised and hashed. Changing this breaks every existing chain.

Events are keyed (docs/decisions/0021): each carries the id of an audit key and its hash is HMAC-SHA256 under
that key, which lives outside the database (settings.AUDIT_KEYS, from a key file like the field keys). Whoever
owns the database can change a row and recompute every hash after it only with the key; without it the
rewritten event no longer verifies. Events written before keying carry no key id and a plain SHA-256; they are
accepted only up to the sequence number the operator states (settings.AUDIT_UNKEYED_UNTIL).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.signals import setting_changed
from django.dispatch import receiver

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
_KEY_ID = re.compile(r"^[A-Za-z0-9_.-]{1,32}$")


class UnknownAuditKey(LookupError):
    """An event names an audit key that is not in AUDIT_KEYS."""


@dataclass(frozen=True)
class AuditKeyRing:
    current_id: str
    keys: dict[str, bytes]


def parse_audit_keys(text: str) -> AuditKeyRing:
    """'id:base64key' entries separated by newlines or commas; the first signs new events, all verify."""
    keys: dict[str, bytes] = {}
    for position, raw in enumerate(re.split(r"[\n,]", text), start=1):
        entry = raw.strip()
        if not entry or entry.startswith("#"):
            continue
        key_id, separator, encoded = entry.partition(":")
        key_id = key_id.strip()
        if not separator or not _KEY_ID.match(key_id):
            raise ImproperlyConfigured(f"AUDIT_KEYS entry {position}: expected 'id:base64key'")
        if key_id in keys:
            raise ImproperlyConfigured(f"AUDIT_KEYS: key id {key_id!r} appears twice")
        try:
            key = base64.b64decode(encoded.strip(), validate=True)
        except (binascii.Error, ValueError):
            raise ImproperlyConfigured(f"AUDIT_KEYS: key {key_id!r} is not valid base64") from None
        if len(key) < MIN_KEY_BYTES:
            raise ImproperlyConfigured(f"AUDIT_KEYS: key {key_id!r} must be at least {MIN_KEY_BYTES} bytes")
        keys[key_id] = key
    if not keys:
        raise ImproperlyConfigured("AUDIT_KEYS holds no key")
    return AuditKeyRing(current_id=next(iter(keys)), keys=keys)


_ring: AuditKeyRing | None = None


def audit_keys() -> AuditKeyRing:
    global _ring  # parsed once per process; reset when tests change the setting
    if _ring is None:
        _ring = parse_audit_keys(settings.AUDIT_KEYS)
    return _ring


@receiver(setting_changed)
def _forget_audit_keys(*, setting: str, **kwargs: Any) -> None:
    global _ring
    if setting == "AUDIT_KEYS":
        _ring = None


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
