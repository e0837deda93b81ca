"""Who a non-removal look-up is about, found on keyed indexes only (palermo.core.blind_index): nothing is
decrypted and nothing is compared in clear.

Two sets of cases come back:

- **matches**: the same document number; or the same name (own script, Latin letters or an alias, any order,
  case or accents) with a birth date that is the date asked, or a year or year and month recorded that the
  date asked falls in (a partial birth date is stored as the first day of its month or year, with its
  precision);
- **near matches**, not matches: a document number one letter or digit off; a name one character off or
  sounding the same in another transliteration (its sound key) with a birth date that matches, has its day and
  month swapped, or is an estimate of the same year; the exact name with its day and month swapped, an
  estimate of the same year, or no birth date on record.

A question costs the same two queries whatever it finds.
"""

from __future__ import annotations

import datetime
from collections.abc import Collection
from dataclasses import dataclass

from django.db.models import Q

from palermo.cases.models import BirthDatePrecision, IdentityDocument, Person
from palermo.core.blind_index import (
    birth_date_index,
    document_index,
    name_index,
    name_sound_index,
    near_document_indexes,
    near_name_indexes,
)


@dataclass(frozen=True)
class Found:
    matches: frozenset[int]
    near: frozenset[int]  # never one of the matches


def _names(indexes: Collection[str]) -> Q:
    indexes = list(indexes)
    return Q(name_index__in=indexes) | Q(latin_name_index__in=indexes) | Q(aliases__name_index__in=indexes)


def _sounds(index: str) -> Q:
    return Q(name_sound_index=index) | Q(latin_name_sound_index=index) | Q(aliases__name_sound_index=index)


def _born_on(day: datetime.date) -> Q:
    """The birth date recorded is `day`, or a year and month or a year that contains it."""
    return (
        Q(birth_date_index=birth_date_index(day))
        | Q(
            birth_date_precision=BirthDatePrecision.YEAR_MONTH,
            birth_date_index=birth_date_index(day.replace(day=1)),
        )
        | Q(
            birth_date_precision=BirthDatePrecision.YEAR,
            birth_date_index=birth_date_index(day.replace(month=1, day=1)),
        )
    )


def swapped(day: datetime.date) -> datetime.date | None:
    """The date with its day and month swapped (5 July for 7 May), None when that is no other date."""
    if day.day > 12 or day.day == day.month:
        return None
    return day.replace(month=day.day, day=day.month)


def _born_near(day: datetime.date) -> Q:
    """A birth date recorded with the day and month swapped, or estimated within the same year."""
    first = datetime.date(day.year, 1, 1)
    year = [first + datetime.timedelta(days=offset) for offset in range(366)]
    in_year = {birth_date_index(each) for each in year if each.year == day.year}
    near = Q(birth_date_precision=BirthDatePrecision.ESTIMATED, birth_date_index__in=sorted(in_year))
    other = swapped(day)
    return near | _born_on(other) if other is not None else near


def by_document(number: str) -> Found:
    exact = document_index(number)
    close = near_document_indexes(number)
    rows = IdentityDocument.objects.filter(number_index__in=[exact, *sorted(close)]).values_list(
        "person__case_id", "number_index"
    )
    matches = {case_id for case_id, index in rows if index == exact}
    near = {case_id for case_id, index in rows if index != exact} - matches
    return Found(frozenset(matches), frozenset(near))


def by_name_and_birth_date(name: str, day: datetime.date) -> Found:
    exact_name = _names([name_index(name)])
    close_name = _names(sorted(near_name_indexes(name))) | _sounds(name_sound_index(name))
    matched = exact_name & _born_on(day)
    close = (exact_name & (_born_near(day) | Q(birth_date_index=""))) | (
        close_name & (_born_on(day) | _born_near(day))
    )
    matches = set(Person.objects.filter(matched).values_list("case_id", flat=True).distinct())
    near = set(Person.objects.filter(close).values_list("case_id", flat=True).distinct()) - matches
    return Found(frozenset(matches), frozenset(near))
