"""Keys read from settings: one base64 key (the blind index's), or a ring of "id:base64key" entries (the field
keys, the audit keys, the backup keys) whose first entry writes and every entry reads; and a value made from a
setting once per process and forgotten when the setting changes (tests override the keys). The messages of a
key that cannot be used name the setting and the key id, never key material."""

from __future__ import annotations

import base64
import binascii
import re
from collections.abc import Callable
from typing import Any, Generic, TypeVar

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.signals import setting_changed

Made = TypeVar("Made")

KEY_ID = re.compile(r"^[A-Za-z0-9_.-]{1,32}$")
ENTRY_SEPARATOR = re.compile(r"[\n,]")


def base64_key(
    encoded: str, name: str, *, size: int, exact: bool, error: type[Exception] = ImproperlyConfigured
) -> bytes:
    """The key `encoded` in base64, of exactly (or, not `exact`, at least) `size` bytes; `name` says which
    key in the error raised otherwise."""
    try:
        key = base64.b64decode(encoded, validate=True)
    except (binascii.Error, ValueError):
        raise error(f"{name} is not valid base64") from None
    if exact and len(key) != size:
        raise error(f"{name} must be {size} bytes, not {len(key)}")
    if len(key) < size:
        raise error(f"{name} must be at least {size} bytes")
    return key


def parse_ring(
    text: str, setting: str, *, size: int, exact: bool, error: type[Exception] = ImproperlyConfigured
) -> dict[str, bytes]:
    """The keys of a ring, by id in the order given: 'id:base64key' entries separated by newlines or commas,
    blank entries and '#' comments skipped. Raises `error` for a malformed entry, an id given twice, a key
    that `base64_key` refuses, or a ring without a key."""
    keys: dict[str, bytes] = {}
    for position, raw in enumerate(ENTRY_SEPARATOR.split(text), start=1):
        entry = raw.strip()
        if not entry or entry.startswith("#"):
            continue
        key_id, separator, encoded = entry.partition(":")
        key_id = key_id.strip()
        if not separator or not KEY_ID.match(key_id):
            raise error(f"{setting} entry {position}: expected 'id:base64key' with an id of [A-Za-z0-9_.-]")
        if key_id in keys:
            raise error(f"{setting}: key id {key_id!r} appears twice")
        name = f"{setting}: key {key_id!r}"
        keys[key_id] = base64_key(encoded.strip(), name, size=size, exact=exact, error=error)
    if not keys:
        raise error(f"{setting} holds no key")
    return keys


class FromSetting(Generic[Made]):
    """Called, the value `make` makes from the setting: made once per process, made again after the setting
    changes (tests) or after `forget` (a key rotation)."""

    def __init__(self, setting: str, make: Callable[[Any], Made]) -> None:
        self.setting = setting
        self._make = make
        self._made: Made | None = None
        setting_changed.connect(self._setting_changed, weak=False)

    def __call__(self) -> Made:
        if self._made is None:
            self._made = self._make(getattr(settings, self.setting))
        return self._made

    def forget(self) -> None:
        self._made = None

    def _setting_changed(self, *, setting: str, **kwargs: Any) -> None:
        if setting == self.setting:
            self.forget()
