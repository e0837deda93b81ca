"""The tolerant search over keyed indexes only (docs/decisions/0042), shared by the search page, the API and
the intake's duplicate warning.

A question (a name in any script, any words in any order, and as much of a birth date as is known) is turned
into keyed digests (`palermo.linkage.keys`) and looked up among the stored `PersonKey` rows: nothing is
decrypted and nothing is compared in clear. Each person found must meet every word of the question (exactly,
in another romanisation, with one typo, by sound, or by its consonants); a birth date asked must agree with
the recorded one as far as both are precise (or be recorded with day and month swapped). Results are ranked
by a score and each says why it matched.

Two queries whatever the question: the name keys, then the birth-date keys of the persons found.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from django.db.models import QuerySet

from palermo.cases.models import Person
from palermo.linkage.keys import (
    BIRTH,
    DATE_KINDS,
    EXACT,
    GRADE_SCORES,
    MONTH,
    SOUNDS,
    TYPO,
    YEAR,
    PartialDate,
    WordQuestion,
    all_digests,
    question_words,
)
from palermo.linkage.models import PersonKey

# How a birth date asked meets the recorded one.
DATE_EXACT, DATE_MONTH, DATE_YEAR, DATE_SWAPPED, DATE_NONE = "exact", "month", "year", "swapped", "none"
DATE_SCORES = {DATE_EXACT: 1.0, DATE_MONTH: 0.9, DATE_SWAPPED: 0.85, DATE_YEAR: 0.8, DATE_NONE: 0.3}
DATE_WEIGHT = 0.25
MAX_RESULTS = 50
# A duplicate warning needs every word met at least by sound on average, and a birth date that agrees.
DUPLICATE_SCORE = 0.75
_GRADE_ORDER = {grade: rank for rank, grade in enumerate(sorted(GRADE_SCORES, key=GRADE_SCORES.__getitem__))}


@dataclass(frozen=True)
class WordMatch:
    word: str  # the word of the question
    grade: str  # exact, typo, sound, consonants
    source: str  # KeySource: own script, Latin letters, alias


@dataclass(frozen=True)
class Hit:
    person_id: int
    case_id: int
    score: float
    words: tuple[WordMatch, ...]
    birth: str | None  # how the birth date met (None: none asked)


def _best_words(questions: Sequence[WordQuestion], rows: list[tuple[int, str, str, str]]) -> dict:
    best: dict[int, dict[int, WordMatch]] = defaultdict(dict)
    for person_id, kind, source, key in rows:
        for index, question in enumerate(questions):
            grade = question.grade(kind, key)
            if grade is None:
                continue
            held = best[person_id].get(index)
            if held is None or _GRADE_ORDER[grade] > _GRADE_ORDER[held.grade]:
                best[person_id][index] = WordMatch(question.word, grade, source)
    return best


def _date_grade(asked: PartialDate, stored: dict[str, set[str]]) -> str | None:
    """How the date asked meets one person's stored date keys; None when they disagree."""
    if not stored:
        return DATE_NONE
    keys = asked.keys()
    for kind, grade in ((BIRTH, DATE_EXACT), (MONTH, DATE_MONTH), (YEAR, DATE_YEAR)):
        if kind in keys and kind in stored:  # the finest level both know decides
            if keys[kind] in stored[kind]:
                return grade
            other = asked.swapped()
            if other is not None and kind == BIRTH and other.keys()[BIRTH] in stored[BIRTH]:
                return DATE_SWAPPED
            return None
    return None


def find_persons(
    text: str,
    born: PartialDate | None = None,
    *,
    among: QuerySet[Person] | None = None,
    limit: int = MAX_RESULTS,
) -> list[Hit]:
    """Persons (among those given, else all) whose names meet every word of `text`, ranked."""
    questions = question_words(text)
    if not questions:
        return []
    found = PersonKey.objects.filter(digest__in=sorted(all_digests(questions)))
    if among is not None:
        found = found.filter(person__in=among.values("pk"))
    rows = list(found.values_list("person_id", "kind", "source", "digest"))
    best = _best_words(questions, rows)
    complete = {pid: matched for pid, matched in best.items() if len(matched) == len(questions)}
    if not complete:
        return []
    case_of: dict[int, int] = {}
    dates: dict[int, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    stored = PersonKey.objects.filter(person_id__in=sorted(complete), kind__in=DATE_KINDS)
    for person_id, case_id, kind, key in stored.values_list("person_id", "person__case_id", "kind", "digest"):
        case_of[person_id] = case_id
        dates[person_id][kind].add(key)
    missing = set(complete) - set(case_of)
    if missing:  # persons without a birth date on record
        case_of.update(Person.objects.filter(pk__in=sorted(missing)).values_list("pk", "case_id"))
    hits = []
    for person_id, matched in complete.items():
        words = tuple(matched[index] for index in range(len(questions)))
        score = sum(GRADE_SCORES[match.grade] for match in words) / len(words)
        birth = None
        if born is not None:
            birth = _date_grade(born, dates.get(person_id, {}))
            if birth is None:
                continue
            score = (1 - DATE_WEIGHT) * score + DATE_WEIGHT * DATE_SCORES[birth]
        hits.append(Hit(person_id, case_of[person_id], round(score, 3), words, birth))
    hits.sort(key=lambda hit: (-hit.score, hit.case_id, hit.person_id))
    return hits[:limit]


def duplicate_case_ids(names: Sequence[str], birth_date: datetime.date) -> set[int]:
    """The cases with a person likely the same as one named `names` born on `birth_date` (the intake's
    duplicate warning, through palermo.cases.identity)."""
    asked = PartialDate.of(birth_date)
    found: set[int] = set()
    for name in names:
        for hit in find_persons(name, asked):
            if (
                hit.birth in (DATE_EXACT, DATE_MONTH, DATE_YEAR, DATE_SWAPPED)
                and hit.score >= DUPLICATE_SCORE
            ):
                found.add(hit.case_id)
    return found


__all__ = ["EXACT", "SOUNDS", "TYPO", "Hit", "WordMatch", "duplicate_case_ids", "find_persons"]
