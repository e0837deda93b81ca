"""The cipher and the key ring, below the model layer."""

from __future__ import annotations

import base64
import os
import uuid
from typing import Any

import pytest

from palermo.core import crypto


def new_key(key_id: str) -> str:
    return f"{key_id}:{base64.b64encode(os.urandom(32)).decode()}"


@pytest.fixture
def ring(settings: Any) -> crypto.KeyRing:
    settings.FIELD_KEYS = f"{new_key('k2')}\n{new_key('k1')}"
    return crypto.key_ring()


def bound(field: str = "given_names", row: uuid.UUID | None = None) -> bytes:
    return crypto.binding("cases.person", field, row or uuid.UUID(int=7))


SECRET = "Радослава Ἀθηνᾶ 阿娜"


def test_round_trip_keeps_every_character(ring: crypto.KeyRing) -> None:
    token = crypto.encrypt_text(SECRET, associated_data=bound())
    assert crypto.decrypt_text(token, associated_data=bound()) == SECRET


def test_token_carries_version_key_id_and_a_fresh_96_bit_nonce(ring: crypto.KeyRing) -> None:
    first = crypto.encrypt(b"same", associated_data=bound())
    second = crypto.encrypt(b"same", associated_data=bound())
    assert first[0] == crypto.FORMAT_VERSION
    assert first[1] == 2 and first[2:4] == b"k2"
    assert crypto.key_id_of(first) == "k2"
    nonce_first, nonce_second = first[4:16], second[4:16]
    assert len(nonce_first) == 12 and nonce_first != nonce_second
    assert first != second
    assert len(first) == 2 + 2 + 12 + len(b"same") + 16


def test_stored_token_names_its_key_without_decrypting(ring: crypto.KeyRing) -> None:
    token = crypto.encrypt_text("x", associated_data=bound())
    assert crypto.text_key_id(token) == "k2"


def test_the_first_key_encrypts_and_every_key_decrypts(settings: Any) -> None:
    old = new_key("k1")
    settings.FIELD_KEYS = old
    token = crypto.encrypt_text(SECRET, associated_data=bound())
    settings.FIELD_KEYS = f"{new_key('k2')},{old}"
    assert crypto.text_key_id(crypto.encrypt_text(SECRET, associated_data=bound())) == "k2"
    assert crypto.decrypt_text(token, associated_data=bound()) == SECRET


@pytest.mark.parametrize("position", [0, 1, 2, 5, 20, -1])
def test_any_altered_byte_fails(ring: crypto.KeyRing, position: int) -> None:
    token = bytearray(crypto.encrypt(SECRET.encode(), associated_data=bound()))
    token[position] ^= 0x01
    with pytest.raises(crypto.DecryptionError):
        crypto.decrypt(bytes(token), associated_data=bound())


def test_truncated_token_fails(ring: crypto.KeyRing) -> None:
    token = crypto.encrypt(SECRET.encode(), associated_data=bound())
    with pytest.raises(crypto.DecryptionError, match="truncated"):
        crypto.decrypt(token[:20], associated_data=bound())


@pytest.mark.parametrize(
    "other",
    [
        bound(field="family_names"),
        bound(row=uuid.UUID(int=8)),
        crypto.binding("cases.case", "given_names", uuid.UUID(int=7)),
    ],
    ids=["other field", "other row", "other model"],
)
def test_a_token_moved_elsewhere_fails_without_revealing_its_plaintext(
    ring: crypto.KeyRing, other: bytes
) -> None:
    token = crypto.encrypt_text(SECRET, associated_data=bound())
    with pytest.raises(crypto.DecryptionError) as raised:
        crypto.decrypt_text(token, associated_data=other)
    message = str(raised.value)
    assert "failed authentication" in message
    assert not any(part in message for part in SECRET.split())


def test_a_key_that_left_the_ring_is_named(settings: Any) -> None:
    settings.FIELD_KEYS = new_key("gone")
    token = crypto.encrypt_text(SECRET, associated_data=bound())
    settings.FIELD_KEYS = new_key("k9")
    with pytest.raises(crypto.DecryptionError, match="'gone', which is not in the key ring"):
        crypto.decrypt_text(token, associated_data=bound())


def test_a_wrong_key_under_the_same_id_fails(settings: Any) -> None:
    settings.FIELD_KEYS = new_key("k1")
    token = crypto.encrypt_text(SECRET, associated_data=bound())
    settings.FIELD_KEYS = new_key("k1")
    with pytest.raises(crypto.DecryptionError):
        crypto.decrypt_text(token, associated_data=bound())


def test_not_a_token_at_all(ring: crypto.KeyRing) -> None:
    with pytest.raises(crypto.DecryptionError, match="base64"):
        crypto.decrypt_text("plain words", associated_data=bound())
    with pytest.raises(crypto.DecryptionError, match="format"):
        crypto.decrypt(b"\x07" + bytes(40), associated_data=bound())


def test_key_ring_accepts_lines_commas_blanks_and_comments() -> None:
    text = f"# current\n{new_key('k3')}\n\n{new_key('k2')} , {new_key('k1')}\n"
    ring = crypto.parse_key_ring(text)
    assert ring.current_id == "k3"
    assert ring.key_ids == ["k3", "k2", "k1"]


@pytest.mark.parametrize(
    ("text", "complaint"),
    [
        ("", "no key"),
        ("k1", "expected 'id:base64key'"),
        ("bad id:" + base64.b64encode(bytes(32)).decode(), "expected 'id:base64key'"),
        ("k1:not base64!", "not valid base64"),
        ("k1:" + base64.b64encode(bytes(16)).decode(), "must be 32 bytes, not 16"),
        (f"{new_key('k1')},{new_key('k1')}", "appears twice"),
    ],
    # Named ids: the keys are random, and parallel workers must collect the same test names.
    ids=["empty", "no-key", "bad-id", "not-base64", "short-key", "duplicate-id"],
)
def test_key_ring_refuses_bad_entries_without_echoing_key_material(text: str, complaint: str) -> None:
    with pytest.raises(crypto.KeyRingError, match=complaint) as raised:
        crypto.parse_key_ring(text)
    key_material = text.partition(":")[2].split(",")[0]
    if len(key_material) > 8:
        assert key_material not in str(raised.value)


def test_key_ring_is_read_once_and_reloaded_on_demand(settings: Any) -> None:
    settings.FIELD_KEYS = new_key("k1")
    first = crypto.key_ring()
    assert crypto.key_ring() is first
    settings.FIELD_KEYS = new_key("k2")  # a settings change forgets the cached ring
    second = crypto.key_ring()
    assert second.current_id == "k2"
    reloaded = crypto.reload_key_ring()
    assert reloaded is not second and reloaded.current_id == "k2"


def test_keys_come_from_settings_never_from_the_database(
    settings: Any, django_assert_num_queries: Any, db: None
) -> None:
    settings.FIELD_KEYS = new_key("k1")
    with django_assert_num_queries(0):
        crypto.reload_key_ring()
        token = crypto.encrypt_text(SECRET, associated_data=bound())
        assert crypto.decrypt_text(token, associated_data=bound()) == SECRET
