"""Walk the chain and say whether it is intact, naming the first broken link.

Constant memory: events are read in batches by sequence number (keyset pagination). Each event must carry the
next sequence number, link to the hash of the one before, and hash to what it carries; the chain head must
agree with the last event. Hashes are HMACs under audit keys kept outside the database (palermo.audit.chain),
so whoever changes a row and recomputes the chain after it without the key is caught at the changed event;
an event without a key id is accepted only up to AUDIT_UNKEYED_UNTIL, the end of the chain before keying. A
chain head recorded elsewhere (an anchor) also catches a rewrite by someone who holds the key.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from django.conf import settings

from palermo.audit.chain import GENESIS_HASH, UnknownAuditKey, audit_keys, hash_of
from palermo.audit.models import AuditEvent, ChainHead

DEFAULT_BATCH = 2000


@dataclass(frozen=True)
class Break:
    sequence: int
    # hash mismatch, prev_hash mismatch, gap in sequence, chain head mismatch, anchor mismatch, unkeyed event,
    # unknown key
    kind: str
    detail: str

    def __str__(self) -> str:
        return f"event #{self.sequence}: {self.kind} ({self.detail})"


@dataclass(frozen=True)
class Anchor:
    """A chain head written down outside the database: event `sequence` had hash `hash`."""

    sequence: int
    hash: str

    @classmethod
    def parse(cls, text: str) -> Anchor:
        sequence, _, value = text.partition(":")
        if not sequence.isdigit() or len(value) != 64:
            raise ValueError("an anchor is SEQUENCE:HASH, e.g. 1042:9f86d0...")
        return cls(int(sequence), value.lower())


@dataclass(frozen=True)
class Verdict:
    count: int
    last_sequence: int
    last_hash: str
    broken: Break | None

    @property
    def intact(self) -> bool:
        return self.broken is None


def _batches(after: int, size: int) -> Iterator[list[AuditEvent]]:
    while True:
        batch = list(AuditEvent.objects.filter(sequence__gt=after).order_by("sequence")[:size])
        if not batch:
            return
        yield batch
        after = batch[-1].sequence


def _check(event: AuditEvent, expected_sequence: int, expected_prev: str, unkeyed_until: int) -> Break | None:
    if event.sequence != expected_sequence:
        return Break(
            expected_sequence,
            "gap in sequence",
            f"expected #{expected_sequence}, found #{event.sequence}: events removed or inserted",
        )
    if event.prev_hash != expected_prev:
        return Break(event.sequence, "prev_hash mismatch", "does not link to the event before it")
    if not event.key_id and event.sequence > unkeyed_until:
        return Break(
            event.sequence,
            "unkeyed event",
            "hashed without an audit key after the chain was keyed: rewritten by someone without the key",
        )
    if event.key_id and event.key_id not in audit_keys().keys:
        return Break(event.sequence, "unknown key", f"its audit key {event.key_id!r} is not in AUDIT_KEYS")
    try:
        recomputed = hash_of(event)
    except UnknownAuditKey as error:  # pragma: no cover - caught just above
        return Break(event.sequence, "unknown key", str(error))
    if recomputed != event.hash:
        return Break(event.sequence, "hash mismatch", "its fields were changed after it was written")
    return None


def _head() -> tuple[int, str]:
    head = ChainHead.objects.filter(id=1).first()
    return (head.sequence, head.hash) if head else (0, "")


def _check_head(head_sequence: int, head_hash: str, last_sequence: int, last_hash: str) -> Break | None:
    if head_sequence < last_sequence:
        return Break(
            head_sequence + 1,
            "chain head mismatch",
            f"the chain head ends at #{head_sequence}: events appended outside the audit service",
        )
    if head_sequence > last_sequence:
        return Break(
            last_sequence + 1,
            "chain head mismatch",
            f"the chain head ends at #{head_sequence}: events removed from the end",
        )
    if head_hash != last_hash and last_sequence:
        return Break(last_sequence, "chain head mismatch", "the chain head records another hash")
    return None


def verify_chain(
    *, batch_size: int = DEFAULT_BATCH, anchors: tuple[Anchor, ...] = (), unkeyed_until: int | None = None
) -> Verdict:
    """Walk the chain. `unkeyed_until` (default: settings.AUDIT_UNKEYED_UNTIL) is the last sequence number
    that may lack an audit key."""
    if unkeyed_until is None:
        unkeyed_until = settings.AUDIT_UNKEYED_UNTIL
    count, last_sequence, last_hash = 0, 0, GENESIS_HASH
    pending = {anchor.sequence: anchor.hash for anchor in anchors}

    def verdict(broken: Break | None) -> Verdict:
        return Verdict(count, last_sequence, last_hash, broken)

    while True:
        for batch in _batches(last_sequence, batch_size):
            for event in batch:
                broken = _check(event, last_sequence + 1, last_hash, unkeyed_until)
                if broken is None and pending.get(event.sequence, event.hash) != event.hash:
                    broken = Break(event.sequence, "anchor mismatch", "not the hash recorded outside")
                if broken is not None:
                    return verdict(broken)
                pending.pop(event.sequence, None)
                count, last_sequence, last_hash = count + 1, event.sequence, event.hash
        head_sequence, head_hash = _head()
        # Writers may have appended while we walked: the head moved on and there is more to read.
        if head_sequence > last_sequence and _has_events_after(last_sequence):
            continue
        broken = _check_head(head_sequence, head_hash, last_sequence, last_hash)
        if broken is None and pending:
            missing = min(pending)
            broken = Break(missing, "anchor mismatch", "an anchored event is missing from the chain")
        return verdict(broken)


def _has_events_after(sequence: int) -> bool:
    return AuditEvent.objects.filter(sequence__gt=sequence).exists()
