"""Privacy-preserving record linkage across borders: hardened Bloom-filter encodings (docs/decisions/0043).

Pure: no database. A person is encoded as one record-level Bloom filter (a cryptographic long-term key, CLK)
of the bigrams of their names in Latin letters, of their birth date's parts and of their sex. The published
attacks on such encodings (frequency alignment, pattern mining of co-occurring bit positions, dictionary
attacks on unkeyed hashes) are met by:

- **keyed**: every position is derived from an HMAC-SHA256 under a key derived from the secret shared with
  the partner; without it no one can compute which bits a value sets (no unkeyed encoding exists);
- **salted by a stable attribute**: the name bigrams are hashed with the birth year, so one name sets
  different bits in different years, and a bigram's or a name's frequency across the population no longer
  maps onto a bit's or a filter's frequency;
- **balanced**: the filter is concatenated with its complement and the result permuted by a keyed
  permutation, so every encoding has exactly half its bits set (the Hamming weight says nothing of the name's
  length) and every position is set in about half the records; optionally **XOR-folded** in half instead.

Similarity is the Dice coefficient; an encoding travels as base64.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import numpy

from palermo.linkage.keys import spellings, words

LENGTH = 1024  # bits of the filter before balancing
HASHES = 20  # positions per name bigram (fewer for the other attributes)
DATE_HASHES = 10
_PERMUTATIONS: dict[tuple[bytes, int], Any] = {}
THRESHOLD = 0.8  # Dice from which a partner's question is answered "likely known"


@dataclass(frozen=True)
class Encoder:
    """The encoding agreed with one partner: its secret, and the hardening used."""

    secret: bytes
    length: int = LENGTH
    balanced: bool = True
    xor_fold: bool = False
    salted: bool = True
    keyed: bool = True  # False only for the attack tests' baseline: an unkeyed encoding is never used

    def _key(self, purpose: bytes) -> bytes:
        return hmac.new(self.secret, b"palermo pprl " + purpose, hashlib.sha256).digest()

    def _positions(self, feature: str, count: int) -> list[int]:
        data = feature.encode("utf-8")
        if self.keyed:
            key = self._key(b"positions")
            first = hmac.new(key, b"1" + data, hashlib.sha256).digest()
            second = hmac.new(key, b"2" + data, hashlib.sha256).digest()
        else:
            first, second = hashlib.sha1(data).digest(), hashlib.md5(data).digest()  # noqa: S324
        one, two = int.from_bytes(first[:8], "big"), int.from_bytes(second[:8], "big") | 1
        return [(one + index * two) % self.length for index in range(count)]

    def _permutation(self) -> Any:
        cached = _PERMUTATIONS.get((self.secret, self.length))
        if cached is None:
            key = self._key(b"permutation")  # keyed, the same on both sides: positions sorted by their HMAC
            order = sorted(
                range(2 * self.length),
                key=lambda index: hmac.new(key, index.to_bytes(4, "big"), hashlib.sha256).digest(),
            )
            cached = _PERMUTATIONS[(self.secret, self.length)] = numpy.array(order)
        return cached

    def encode(self, given: str, family: str, birth: str = "", sex: str = "") -> int:
        """The encoding of one person as an integer of `size()` bits."""
        year = birth[:4]
        salt = year if self.salted else ""
        bits = 0
        for gram in name_bigrams(f"{given} {family}"):
            for position in self._positions(f"n\x00{salt}\x00{gram}", HASHES):
                bits |= 1 << position
        parts = [part for part in birth.split("-") if part]
        for label, part in zip(("y", "m", "d"), parts, strict=False):
            for position in self._positions(f"{label}\x00{part}", DATE_HASHES):
                bits |= 1 << position
        if sex:
            for position in self._positions(f"s\x00{sex}", DATE_HASHES):
                bits |= 1 << position
        if self.xor_fold:
            half = self.length // 2
            return (bits >> half) ^ (bits & ((1 << half) - 1))
        if self.balanced:
            doubled = bits | ((~bits & ((1 << self.length) - 1)) << self.length)
            size = 2 * self.length
            unpacked = numpy.unpackbits(
                numpy.frombuffer(doubled.to_bytes(size // 8, "little"), "uint8"), bitorder="little"
            )
            permuted = numpy.packbits(unpacked[self._permutation()], bitorder="little")
            return int.from_bytes(permuted.tobytes(), "little")
        return bits

    def size(self) -> int:
        if self.xor_fold:
            return self.length // 2
        return 2 * self.length if self.balanced else self.length

    def block(self, birth: str) -> str:
        """The keyed block a question is compared within: the birth year's HMAC (or "" without a date)."""
        year = birth[:4]
        return hmac.new(self._key(b"block"), year.encode(), hashlib.sha256).hexdigest()[:32] if year else ""


def name_bigrams(text: str) -> set[str]:
    """Bigrams of each name word in Latin letters (first romanisation), padded: "_a", "an", "na", "a_"."""
    found: set[str] = set()
    for word in words(text):
        latin = spellings(word)
        if latin:
            padded = f"_{latin[0]}_"
            found |= {padded[index : index + 2] for index in range(len(padded) - 1)}
    return found


def dice(one: int, two: int) -> float:
    total = one.bit_count() + two.bit_count()
    return 2 * (one & two).bit_count() / total if total else 0.0


def to_text(bits: int, size: int) -> str:
    return base64.b64encode(bits.to_bytes(size // 8, "big")).decode("ascii")


def from_text(text: str, size: int) -> int:
    raw = base64.b64decode(text, validate=True)
    if len(raw) != size // 8:
        raise ValueError("an encoding of the wrong length")
    return int.from_bytes(raw, "big")


def best_match(question: int, candidates: Iterable[tuple[int, int]]) -> tuple[int | None, float]:
    """The candidate (id, encoding) most similar to the question, and its Dice."""
    best, score = None, 0.0
    for identifier, encoding in candidates:
        similarity = dice(question, encoding)
        if similarity > score:
            best, score = identifier, similarity
    return best, score
