"""Sealing the free text of an audit event (its `note`): AES-256-GCM under the field key ring, bound to the
event's sequence number, so a note copied onto another event fails to open. The chain hashes the sealed
form, so verification never needs the field keys. Notes stay under the key they were written with:
`rotate_keys` does not rewrite the append-only log, so a field key leaves the ring only once the notes under
it may become unreadable."""

from __future__ import annotations

from palermo.core import crypto

_PREFIX = crypto.binding_prefix("audit.auditevent", "note")


def _binding(sequence: int) -> bytes:
    return _PREFIX + str(sequence).encode("ascii")


def seal_note(text: str, *, sequence: int) -> str:
    text = (text or "").strip()
    return crypto.encrypt_text(text, associated_data=_binding(sequence)) if text else ""


def open_note(sealed: str, *, sequence: int) -> str:
    """The note's text; DecryptionError if it does not open (altered, moved, or its key left the ring)."""
    return crypto.decrypt_text(sealed, associated_data=_binding(sequence)) if sealed else ""
