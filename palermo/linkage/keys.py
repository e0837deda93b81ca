"""Keyed search keys of a person's names and birth date, for the tolerant search (docs/decisions/0042).

Pure functions, no database: what a person's record is indexed under, and what a question is looked up by,
both computed the same way. Every key is an HMAC under the blind-index key (`palermo.core.blind_index`) of
a normalised value prefixed with its kind, truncated to 128 bits; nothing stored is a plaintext or an unkeyed
hash, and a look-up compares keys only.

For each word of a name, in each romanisation (Unidecode's and AnyASCII's: "Юлия" is "Iuliia" and "Yuliya",
"ሰላም" is "salaame" and "selam"):

- ``t`` the word itself, lower-case ASCII;
- ``d`` the word with one letter deleted (words of 4 letters or more): a stored deletion meeting a question's
  word, or a question's deletion meeting a stored word or deletion, is one typo (a letter missing, added,
  replaced or two swapped; the symmetric-deletion method);
- ``s`` its sound key (`palermo.core.blind_index.sound_key`: transliteration digraphs folded, vowels dropped,
  consonants in sound classes): "Mohammed" and "Muhammad", "Julia" and "Yulia";
- ``k`` its consonant skeleton (sound classes, vowels and h dropped, repeats merged): a spelling written
  without short vowels, as Arabic romanises ("mHmd" and "Muhammad").

And for the birth date: ``y`` the year, ``m`` the year and month, ``b`` the full date, each stored only as far
as the record is precise; an estimated date is stored as its year and the years either side.
"""

from __future__ import annotations

import datetime
import hashlib
import hmac
import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from anyascii import anyascii
from unidecode import unidecode

from palermo.core.blind_index import blind_index_key, sound_key, strip_invisible

WORD, DELETION, SOUND, SKELETON = "t", "d", "s", "k"
YEAR, MONTH, BIRTH = "y", "m", "b"
NAME_KINDS = (WORD, DELETION, SOUND, SKELETON)
DATE_KINDS = (YEAR, MONTH, BIRTH)

MIN_DELETION_LENGTH = 4  # shorter words have too many neighbours for a typo to mean anything
_NOT_LETTER = re.compile(r"[^\w]+|_")
_NOT_ASCII_WORD = re.compile(r"[^a-z0-9]+")
_JOINERS = re.compile(r"['`\u2019\u02bc\u02b9]")
_SKELETON_CLASSES = {
    **dict.fromkeys("bfpvw", "1"),
    **dict.fromkeys("cgkqsxz", "2"),
    **dict.fromkeys("dt", "3"),
    "l": "4",
    **dict.fromkeys("mn", "5"),
    "r": "6",
}


def digest(kind: str, value: str) -> str:
    """The keyed digest of a normalised value of `kind` (32 hex digits)."""
    message = b"linkage\x00" + kind.encode("ascii") + b"\x00" + value.encode("utf-8")
    return hmac.new(blind_index_key(), message, hashlib.sha256).hexdigest()[:32]


def _ascii_word(text: str) -> str:
    return _NOT_ASCII_WORD.sub("", _JOINERS.sub("", text).lower())


def words(text: str) -> list[str]:
    """The words of a name as written (any script), invisible characters and punctuation removed."""
    visible = unicodedata.normalize("NFKC", strip_invisible(text or "")).casefold()
    return [word for word in _NOT_LETTER.split(_JOINERS.sub("", visible)) if word]


def spellings(word: str) -> tuple[str, ...]:
    """A word's Latin spellings in each romanisation, the first Unidecode's; duplicates dropped."""
    decomposed = "".join(c for c in unicodedata.normalize("NFKD", word) if not unicodedata.combining(c))
    found = [_ascii_word(unidecode(decomposed)), _ascii_word(anyascii(word))]
    return tuple(dict.fromkeys(spelling for spelling in found if spelling))


def deletions(word: str) -> set[str]:
    if len(word) < MIN_DELETION_LENGTH:
        return set()
    return {word[:cut] + word[cut + 1 :] for cut in range(len(word))} - {word}


def skeleton(word: str) -> str:
    codes: list[str] = []
    for letter in word:
        code = _SKELETON_CLASSES.get(letter, "")
        if code and (not codes or codes[-1] != code):
            codes.append(code)
    return "".join(codes)


def word_keys(word: str) -> Iterator[tuple[str, str]]:
    """(kind, digest) of one word as stored: every spelling, its deletions, sound and skeleton."""
    for spelling in spellings(word):
        yield WORD, digest(WORD, spelling)
        for deleted in deletions(spelling):
            yield DELETION, digest(WORD, deleted)
        yield SOUND, digest(SOUND, sound_key(spelling))
        bones = skeleton(spelling)
        if bones:
            yield SKELETON, digest(SKELETON, bones)


def name_keys(*names: str) -> set[tuple[str, str]]:
    """Every key of every word of the names given."""
    return {key for name in names for word in words(name) for key in word_keys(word)}


@dataclass(frozen=True)
class PartialDate:
    """A birth date as far as it is known: a year, a year and month, or a full date."""

    year: int
    month: int | None = None
    day: int | None = None

    @classmethod
    def of(cls, value: datetime.date, precision: str = "exact") -> PartialDate:
        if precision in ("year", "estimated"):
            return cls(value.year)
        if precision == "year_month":
            return cls(value.year, value.month)
        return cls(value.year, value.month, value.day)

    def keys(self) -> dict[str, str]:
        """Its keys by kind, as far as it is precise."""
        found = {YEAR: digest(YEAR, f"{self.year:04d}")}
        if self.month:
            found[MONTH] = digest(MONTH, f"{self.year:04d}-{self.month:02d}")
            if self.day:
                found[BIRTH] = digest(BIRTH, f"{self.year:04d}-{self.month:02d}-{self.day:02d}")
        return found

    def swapped(self) -> PartialDate | None:
        """Day and month swapped, when that is another date."""
        if not (self.month and self.day) or self.day > 12 or self.day == self.month:
            return None
        return PartialDate(self.year, self.day, self.month)


def birth_date_keys(value: datetime.date | None, precision: str) -> set[tuple[str, str]]:
    """A recorded birth date's keys; an estimate is stored as its year and the years either side."""
    if value is None:
        return set()
    if precision == "estimated":
        return {(YEAR, digest(YEAR, f"{year:04d}")) for year in (value.year - 1, value.year, value.year + 1)}
    return set(PartialDate.of(value, precision).keys().items())


@dataclass(frozen=True)
class WordQuestion:
    """The digests one word of a question is looked up by, by how close a hit on each is."""

    word: str
    exact: frozenset[str]
    deleted: frozenset[str]
    sound: frozenset[str]
    bones: frozenset[str]

    @classmethod
    def of(cls, word: str) -> WordQuestion:
        latin = spellings(word)
        return cls(
            word=word,
            exact=frozenset(digest(WORD, spelling) for spelling in latin),
            deleted=frozenset(digest(WORD, gone) for spelling in latin for gone in deletions(spelling)),
            sound=frozenset(digest(SOUND, sound_key(spelling)) for spelling in latin),
            bones=frozenset(digest(SKELETON, skeleton(spelling)) for spelling in latin if skeleton(spelling)),
        )

    def digests(self) -> set[str]:
        return set(self.exact | self.deleted | self.sound | self.bones)

    def grade(self, kind: str, key: str) -> str | None:
        """How a stored key of `kind` meets this word: exact, typo, sound, skeleton, or None."""
        if kind == WORD and key in self.exact:
            return EXACT
        if (kind == WORD and key in self.deleted) or (kind == DELETION and key in self.exact | self.deleted):
            return TYPO
        if kind == SOUND and key in self.sound:
            return SOUNDS
        if kind == SKELETON and key in self.bones:
            return CONSONANTS
        return None


EXACT, TYPO, SOUNDS, CONSONANTS = "exact", "typo", "sound", "consonants"
GRADE_SCORES = {EXACT: 1.0, TYPO: 0.8, SOUNDS: 0.75, CONSONANTS: 0.6}


def question_words(text: str) -> list[WordQuestion]:
    seen: dict[str, WordQuestion] = {}
    for word in words(text):
        if word not in seen and spellings(word):
            seen[word] = WordQuestion.of(word)
    return list(seen.values())


def all_digests(questions: Iterable[WordQuestion]) -> set[str]:
    return {key for question in questions for key in question.digests()}
