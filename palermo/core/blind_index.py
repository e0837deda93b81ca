"""Blind indexes: exact look-ups over encrypted values without decrypting them.

An index is HMAC-SHA256, under `settings.BLIND_INDEX_KEY` (separate from the field keys), of a normalised
value prefixed with its kind, so a name can never collide with a date. Normalisation is what makes spellings
of one identity meet: "Ана Петрова", "PETROVA Ana" and "Petrová, Ana" all normalise to "ana petrova".

Anyone holding the blind-index key can test guesses (there are few birth dates), so that key is as secret as
the field keys; without it the stored hex reveals only which rows share a value.

Near matches stay on keyed indexes too (the non-removal look-up must not answer "no protection" for a
spelling one letter off or another transliteration of a protected person's name):

- `name_sound_index`: the index of a name's *sound key*, computed on save like the exact one: consonants in
  sound classes, vowels and h dropped, doubled letters single, common transliteration digraphs folded ("kh",
  "zh", "tsch"...), so "Iuliia", "Yulia" and "Julia", or "Mohammed" and "Muhammad", share a key;
- `near_name_indexes` / `near_document_indexes`: computed from the question only, the exact indexes of every
  spelling one character away from it (one letter or space deleted, replaced or inserted), looked up among the
  stored exact indexes. Nothing stored is decrypted or compared in clear.
"""

from __future__ import annotations

import datetime
import hashlib
import hmac
import re
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from django.db import models
from unidecode import unidecode

from palermo.core.keyrings import FromSetting, base64_key

NAME = "name"
NAME_SOUND = "name_sound"
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


_NAME_ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789 "
_DOCUMENT_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
# Transliteration digraphs folded before the sound classes, longest first: one sound, several spellings.
_SOUND_FOLDS = (
    ("tsch", "c"),
    ("dzh", "j"),
    ("sch", "s"),
    ("tch", "c"),
    ("ch", "c"),
    ("cz", "c"),
    ("sh", "s"),
    ("sz", "s"),
    ("zh", "s"),
    ("kh", "h"),
    ("ph", "f"),
    ("th", "t"),
    ("gh", "g"),
    ("dj", "j"),
    ("ck", "k"),
    ("ts", "s"),
    ("tz", "s"),
    ("x", "ks"),
    ("q", "k"),
)
# Sound classes (Soundex's, with w and v together): vowels, y and j separate letters; h is silent.
_SOUND_CLASSES = {
    **dict.fromkeys("bfpvw", "1"),
    **dict.fromkeys("cgkqsxz", "2"),
    **dict.fromkeys("dt", "3"),
    "l": "4",
    **dict.fromkeys("mn", "5"),
    "r": "6",
    **dict.fromkeys("0123456789", ""),
}
_SOUND_SEPARATORS = frozenset("aeiouyj")


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


def name_tokens(text: str) -> list[str]:
    """The words of `normalise_name`, in the order written."""
    visible = unicodedata.normalize("NFKC", strip_invisible(text))
    latin = _JOINERS.sub("", _latin(visible.casefold()).lower())
    return _NOT_NAME_CHARACTER.sub(" ", latin).split()


def _word_sound(word: str) -> str:
    for spelling, sound in _SOUND_FOLDS:
        word = word.replace(spelling, sound)
    codes: list[str] = []
    previous = ""
    for letter in word:
        if letter in _SOUND_SEPARATORS:
            previous = ""
            continue
        code = _SOUND_CLASSES.get(letter, "")
        if code and code != previous:
            codes.append(code)
        if letter != "h":
            previous = code
    return "".join(codes) or "0"


def sound_key(text: str) -> str:
    """A name's sound key: each word's sound classes, words sorted. "Iuliia Petrova" and "Petrowa, Julia"
    give the same key."""
    return " ".join(sorted(_word_sound(word) for word in name_tokens(text)))


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


# A process-wide cache, made again when the setting changes.
blind_index_key = FromSetting(
    "BLIND_INDEX_KEY", lambda encoded: base64_key(encoded, "BLIND_INDEX_KEY", size=32, exact=False)
)


def _digest(kind: str, normalised: str) -> str:
    """Hex HMAC of a normalised value; an empty value has no index ("")."""
    if not normalised:
        return ""
    message = kind.encode("ascii") + b"\x00" + normalised.encode("utf-8")
    return hmac.new(blind_index_key(), message, hashlib.sha256).hexdigest()


def name_index(*parts: str) -> str:
    """Index of a full name given in any number of parts (given names, family names...)."""
    return _digest(NAME, normalise_name(" ".join(part for part in parts if part)))


def name_sound_index(*parts: str) -> str:
    """Index of a name's sound key (`sound_key`), for near matches across transliterations."""
    return _digest(NAME_SOUND, sound_key(" ".join(part for part in parts if part)))


def _one_edit(text: str, alphabet: str) -> set[str]:
    """Every text one deletion, replacement or insertion of a character of `alphabet` away from `text`."""
    splits = [(text[:cut], text[cut:]) for cut in range(len(text) + 1)]
    deleted = {head + tail[1:] for head, tail in splits if tail}
    replaced = {head + char + tail[1:] for head, tail in splits if tail for char in alphabet}
    inserted = {head + char + tail for head, tail in splits for char in alphabet}
    return (deleted | replaced | inserted) - {text}


def near_name_indexes(text: str) -> set[str]:
    """The name indexes of every spelling one character away from `text` (a letter or a space deleted,
    replaced or inserted, after normalisation), without the exact one: about 40 per character."""
    written = " ".join(name_tokens(text))
    exact = name_index(text)
    variants = _one_edit(written, _NAME_ALPHABET)
    return {_digest(NAME, " ".join(sorted(variant.split()))) for variant in variants} - {exact, ""}


def near_document_indexes(text: str) -> set[str]:
    """The document indexes of every number one letter or digit away from `text`, without the exact one."""
    number = normalise_document_number(text or "")
    if not number:
        return set()
    exact = document_index(number)
    return {_digest(DOCUMENT, variant) for variant in _one_edit(number, _DOCUMENT_ALPHABET)} - {exact, ""}


def birth_date_index(value: datetime.date | str | None) -> str:
    return _digest(BIRTH_DATE, normalise_birth_date(value)) if value else ""


def document_index(value: str) -> str:
    return _digest(DOCUMENT, normalise_document_number(value or ""))


INDEXERS: dict[str, Callable[[Sequence[Any]], str]] = {
    NAME: lambda values: name_index(*values),
    NAME_SOUND: lambda values: name_sound_index(*values),
    BIRTH_DATE: lambda values: birth_date_index(values[0]),
    DOCUMENT: lambda values: document_index(values[0]),
}


class BlindIndexField(models.CharField):
    """Hex HMAC of other fields of the same row, recomputed whenever the row is saved.

    `sources` names the fields it is computed from (their plaintext), `kind` the normaliser (NAME, NAME_SOUND,
    BIRTH_DATE, DOCUMENT). Look up with the matching helper, e.g. `filter(name_index=name_index(query))`.
    """

    def __init__(self, *args: Any, sources: Sequence[str] = (), kind: str = NAME, **kwargs: Any) -> None:
        if kind not in INDEXERS:
            raise ValueError(f"unknown blind index kind {kind!r}")
        if kind not in (NAME, NAME_SOUND) and len(sources) != 1:
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
