"""Blind indexes: exact look-ups over encrypted values without decrypting them.

An index is HMAC-SHA256, under `settings.BLIND_INDEX_KEY` (separate from the field keys), of a normalised
value prefixed with its kind, so a name can never collide with a date. Normalisation is what makes spellings
of one identity meet: "Ана Петрова", "PETROVA Ana" and "Petrová, Ana" all normalise to "ana petrova".

Anyone holding the blind-index key can test guesses (there are few birth dates), so that key is as secret as
the field keys; without it the stored hex reveals only which rows share a value.
"""

from __future__ import annotations

import base64
import binascii
import datetime
import hashlib
import hmac
import re
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.signals import setting_changed
from django.db import models
from django.dispatch import receiver
from unidecode import unidecode

NAME = "name"
BIRTH_DATE = "birth_date"
DOCUMENT = "document"

# Apostrophes (and Unidecode's rendering of soft signs) join a word rather than split it: Il'ich = Ilich.
_JOINERS = re.compile(r"['`\u2019\u02bc\u02b9]")
# Invisible characters a name can carry from a copy-paste or a right-to-left keyboard: zero-width characters,
# bidirectional marks, embeddings, overrides and isolates, and the soft hyphen. Removed, not read as a space,
# so "Pe\u200btrova" is "Petrova" (Unidecode would otherwise turn some of them into a word break).
_INVISIBLE = re.compile("[\u00ad\u200b-\u200f\u202a-\u202e\u2060\u2066-\u2069\ufeff]")
_NOT_NAME_CHARACTER = re.compile(r"[^a-z0-9]+")
_NOT_DOCUMENT_CHARACTER = re.compile(r"[^A-Z0-9]+")


def _strip_accents(text: str) -> str:
    return "".join(char for char in unicodedata.normalize("NFKD", text) if not unicodedata.combining(char))


def _latin(text: str) -> str:
    """Compatibility-normalised, accents stripped, transliterated to ASCII."""
    return unidecode(_strip_accents(unicodedata.normalize("NFKC", text)))


def strip_invisible(text: str) -> str:
    """The text without zero-width, bidirectional-control and soft-hyphen characters."""
    return _INVISIBLE.sub("", text)


def normalise_name(text: str) -> str:
    """Lower-case ASCII tokens in sorted order: script, case, accents, punctuation, invisible characters and
    word order vanish."""
    visible = unicodedata.normalize("NFKC", strip_invisible(text))
    latin = _JOINERS.sub("", _latin(visible.casefold()).lower())
    return " ".join(sorted(_NOT_NAME_CHARACTER.sub(" ", latin).split()))


def normalise_document_number(text: str) -> str:
    """Upper-case letters and digits only: "ab 12-345" and "AB12345" are one number."""
    return _NOT_DOCUMENT_CHARACTER.sub("", _latin(text).upper())


def normalise_birth_date(value: datetime.date | str) -> str:
    """ISO 8601 (YYYY-MM-DD) from a date or an ISO string."""
    if isinstance(value, datetime.datetime):
        raise TypeError("a birth date is a date, not a datetime")
    if isinstance(value, str):
        value = datetime.date.fromisoformat(value.strip())
    return value.isoformat()


_key: bytes | None = None


def blind_index_key() -> bytes:
    global _key  # a process-wide cache, reset when settings change
    if _key is None:
        try:
            key = base64.b64decode(settings.BLIND_INDEX_KEY, validate=True)
        except (binascii.Error, ValueError):
            raise ImproperlyConfigured("BLIND_INDEX_KEY is not valid base64") from None
        if len(key) < 32:
            raise ImproperlyConfigured("BLIND_INDEX_KEY must be at least 32 bytes")
        _key = key
    return _key


@receiver(setting_changed)
def _forget_blind_index_key(*, setting: str, **kwargs: Any) -> None:
    global _key
    if setting == "BLIND_INDEX_KEY":
        _key = None


def _digest(kind: str, normalised: str) -> str:
    """Hex HMAC of a normalised value; an empty value has no index ("")."""
    if not normalised:
        return ""
    message = kind.encode("ascii") + b"\x00" + normalised.encode("utf-8")
    return hmac.new(blind_index_key(), message, hashlib.sha256).hexdigest()


def name_index(*parts: str) -> str:
    """Index of a full name given in any number of parts (given names, family names...)."""
    return _digest(NAME, normalise_name(" ".join(part for part in parts if part)))


def birth_date_index(value: datetime.date | str | None) -> str:
    return _digest(BIRTH_DATE, normalise_birth_date(value)) if value else ""


def document_index(value: str) -> str:
    return _digest(DOCUMENT, normalise_document_number(value or ""))


INDEXERS: dict[str, Callable[[Sequence[Any]], str]] = {
    NAME: lambda values: name_index(*values),
    BIRTH_DATE: lambda values: birth_date_index(values[0]),
    DOCUMENT: lambda values: document_index(values[0]),
}


class BlindIndexField(models.CharField):
    """Hex HMAC of other fields of the same row, recomputed whenever the row is saved.

    `sources` names the fields it is computed from (their plaintext), `kind` the normaliser (NAME, BIRTH_DATE,
    DOCUMENT). Look up with the matching helper, e.g. `filter(name_index=name_index(query))`.
    """

    def __init__(self, *args: Any, sources: Sequence[str] = (), kind: str = NAME, **kwargs: Any) -> None:
        if kind not in INDEXERS:
            raise ValueError(f"unknown blind index kind {kind!r}")
        if kind != NAME and len(sources) != 1:
            raise ValueError(f"a {kind} blind index has exactly one source field")
        self.sources = tuple(sources)
        self.kind = kind
        kwargs.setdefault("max_length", 64)
        kwargs.setdefault("db_index", True)
        kwargs.setdefault("editable", False)
        kwargs.setdefault("blank", True)
        kwargs.setdefault("default", "")
        super().__init__(*args, **kwargs)

    def deconstruct(self) -> Any:
        name, path, args, kwargs = super().deconstruct()
        kwargs["sources"] = list(self.sources)
        kwargs["kind"] = self.kind
        return name, path, args, kwargs

    def compute(self, instance: models.Model) -> str:
        return INDEXERS[self.kind]([getattr(instance, source) for source in self.sources])

    def pre_save(self, model_instance: models.Model, add: bool) -> str:
        value = self.compute(model_instance)
        setattr(model_instance, self.attname, value)
        return value


def dependent_indexes(model: type[models.Model], changed: Iterable[str]) -> set[str]:
    """Names of the blind-index fields computed from any of the `changed` fields."""
    changed = set(changed)
    return {
        field.name
        for field in model._meta.concrete_fields
        if isinstance(field, BlindIndexField) and changed.intersection(field.sources)
    }
