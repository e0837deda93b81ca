"""Field encryption: AES-256-GCM under a key ring that comes from settings, never from the database or git.

The key ring is `settings.FIELD_KEYS`: entries "id:base64key" separated by newlines or commas. The FIRST entry
encrypts; every entry decrypts, so a key is rotated by putting the new one first, running
`palermo rotate_keys`, and only then removing the old one.

A token (what a column stores, base64 of these bytes):

    version (1 byte) | key-id length (1 byte) | key id (ASCII) | nonce (12 random bytes) | ciphertext + tag

The associated data is the token header followed by the caller's binding (model label, field name and row
identity, see `binding`), so a token copied into another row or field, or edited in any byte, fails to
decrypt.
Random 96-bit nonces are safe for far more values than one key will ever encrypt here (NIST's bound is 2**32
per key); rotation resets the count. Error messages name keys and fields, never plaintext.
"""

from __future__ import annotations

import base64
import binascii
import os
import uuid
from dataclasses import dataclass

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.core.exceptions import ImproperlyConfigured

from palermo.core.keyrings import FromSetting, parse_ring

FORMAT_VERSION = 1
NONCE_BYTES = 12
KEY_BYTES = 32


class KeyRingError(ImproperlyConfigured):
    """FIELD_KEYS cannot be used; the message says why without repeating key material."""


class DecryptionError(Exception):
    """A token that does not open under its binding. Never carries plaintext."""


@dataclass(frozen=True)
class KeyRing:
    current_id: str
    ciphers: dict[str, AESGCM]

    @property
    def key_ids(self) -> list[str]:
        return list(self.ciphers)


def parse_key_ring(text: str) -> KeyRing:
    """Build a key ring from "id:base64key" entries; blank entries and '#' comments are ignored."""
    keys = parse_ring(text, "FIELD_KEYS", size=KEY_BYTES, exact=True, error=KeyRingError)
    ciphers = {key_id: AESGCM(key) for key_id, key in keys.items()}
    return KeyRing(current_id=next(iter(ciphers)), ciphers=ciphers)


# The key ring, parsed once per process from settings (again when a test changes FIELD_KEYS).
key_ring = FromSetting("FIELD_KEYS", parse_key_ring)


def reload_key_ring() -> KeyRing:
    """Forget the cached key ring and read settings again (tests, rotation)."""
    key_ring.forget()
    return key_ring()


def binding_prefix(label: str, field_name: str) -> bytes:
    """The part of the binding shared by one field of every row (NUL cannot occur in labels or names)."""
    return b"%s\x00%s\x00" % (label.encode(), field_name.encode())


def binding(label: str, field_name: str, row_key: uuid.UUID) -> bytes:
    """Associated data tying a value to one field of one row."""
    return binding_prefix(label, field_name) + row_key.bytes


def _header(key_id: str) -> bytes:
    encoded_id = key_id.encode("ascii")
    return bytes((FORMAT_VERSION, len(encoded_id))) + encoded_id


def encrypt(plaintext: bytes, *, associated_data: bytes) -> bytes:
    ring = key_ring()
    header = _header(ring.current_id)
    nonce = os.urandom(NONCE_BYTES)
    sealed = ring.ciphers[ring.current_id].encrypt(nonce, plaintext, header + associated_data)
    return header + nonce + sealed


def _split(token: bytes) -> tuple[bytes, str, bytes, bytes]:
    """(header, key id, nonce, ciphertext) of a token, or DecryptionError if it is not one."""
    if len(token) < 2 or token[0] != FORMAT_VERSION:
        version = token[0] if token else None
        raise DecryptionError(f"not a field ciphertext of format {FORMAT_VERSION} (version byte {version})")
    id_end = 2 + token[1]
    if len(token) < id_end + NONCE_BYTES + 16:
        raise DecryptionError("field ciphertext is truncated")
    try:
        key_id = token[2:id_end].decode("ascii")
    except UnicodeDecodeError:
        raise DecryptionError("field ciphertext has a malformed key id") from None
    return token[:id_end], key_id, token[id_end : id_end + NONCE_BYTES], token[id_end + NONCE_BYTES :]


def key_id_of(token: bytes) -> str:
    return _split(token)[1]


def decrypt(token: bytes, *, associated_data: bytes) -> bytes:
    header, key_id, nonce, sealed = _split(token)
    cipher = key_ring().ciphers.get(key_id)
    if cipher is None:
        raise DecryptionError(f"field ciphertext is under key {key_id!r}, which is not in the key ring")
    try:
        return cipher.decrypt(nonce, sealed, header + associated_data)
    except InvalidTag:
        raise DecryptionError(
            f"field ciphertext under key {key_id!r} failed authentication: it was altered, "
            "moved from another row or field, or the key is wrong"
        ) from None


def _unbase64(token: str) -> bytes:
    try:
        return binascii.a2b_base64(token, strict_mode=True)
    except (binascii.Error, ValueError):
        raise DecryptionError("field ciphertext is not valid base64") from None


def encrypt_text(text: str, *, associated_data: bytes) -> str:
    return base64.b64encode(encrypt(text.encode("utf-8"), associated_data=associated_data)).decode("ascii")


def decrypt_text(token: str, *, associated_data: bytes) -> str:
    return decrypt(_unbase64(token), associated_data=associated_data).decode("utf-8")


def text_key_id(token: str) -> str:
    """The key id a stored (base64) token was encrypted under, read from its header alone."""
    # 48 base64 characters decode to 36 bytes: enough for the longest header (2 + 32 bytes).
    head = _unbase64(token[:48])
    if len(head) < 2 or head[0] != FORMAT_VERSION or len(head) < 2 + head[1]:
        raise DecryptionError(f"not a field ciphertext of format {FORMAT_VERSION}")
    try:
        return head[2 : 2 + head[1]].decode("ascii")
    except UnicodeDecodeError:
        raise DecryptionError("field ciphertext has a malformed key id") from None
