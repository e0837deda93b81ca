"""Age and the child decision, from a birth date that may be exact, partial or estimated. Pure: no database.

A birth date is stored as a date plus its precision (`BirthDatePrecision`):

- exact: the date is the birth date;
- year and month: only the year and month count (the day stored is meaningless);
- year: only the year counts;
- estimated: the date is someone's estimate (often from "about 16 years old"); it is taken as precise to its
  calendar year, so the person may have been born on any day of that year.

From these, `age_on` gives the youngest and oldest the person can be on a day, and a central estimate.

Two rules protect a child whose age is not certain:

- a partial or estimated birth date makes the person a child when they COULD be under the rulebook's
  `children.age_threshold` on the day (the youngest possible age decides). Nowhere else is the youngest age
  used: the CTDC age group, a statistic, uses the central estimate;
- the presumption of minority (CETS 197 art. 10(3), Directive 2011/36/EU art. 13(2)): when the age is
  uncertain and there are reasons to believe the person is a child, the person is a child until an age
  assessment says otherwise, whatever the estimate. An assessment is recorded by correcting the birth date
  and clearing "age uncertain" or "believed to be a child". The rulebook's `children.presumption_of_minority`
  switches the presumption on or off.
"""

from __future__ import annotations

import calendar
import datetime
import enum
from dataclasses import dataclass
from typing import NotRequired, TypedDict, Unpack

from palermo.cases.models import AgeGroup, BirthDatePrecision
from palermo.core.rulebooks import rulebook

# CTDC ageBroad bands: the lowest age of each band, in order.
_AGE_BANDS: tuple[tuple[int, AgeGroup], ...] = (
    (48, AgeGroup.AGE_48_PLUS),
    (39, AgeGroup.AGE_39_47),
    (30, AgeGroup.AGE_30_38),
    (27, AgeGroup.AGE_27_29),
    (24, AgeGroup.AGE_24_26),
    (21, AgeGroup.AGE_21_23),
    (18, AgeGroup.AGE_18_20),
    (9, AgeGroup.AGE_9_17),
    (0, AgeGroup.AGE_0_8),
)


class BornAfterTheDay(ValueError):
    """The birth date (all of its possible days) is after the day the age is asked for."""


@dataclass(frozen=True)
class Age:
    """Completed years on a day: the youngest and oldest the person can be, and the central estimate."""

    low: int
    high: int
    estimate: int

    @property
    def is_certain(self) -> bool:
        return self.low == self.high


class ChildBasis(enum.StrEnum):
    """Why the person is, or is not, a child on a given day."""

    BY_AGE = "by_age"  # the birth date is exact and the age is under the threshold
    POSSIBLY_UNDER_AGE = "possibly_under_age"  # a partial or estimated date allows an age under the threshold
    PRESUMED = "presumed"  # presumption of minority: age uncertain and reasons to believe a child
    ADULT = "adult"  # the youngest possible age is at or above the threshold, and no presumption applies
    UNKNOWN = "unknown"  # no birth date and no reason to believe a child

    @property
    def is_child(self) -> bool:
        return self in {ChildBasis.BY_AGE, ChildBasis.POSSIBLY_UNDER_AGE, ChildBasis.PRESUMED}


def completed_years(birth: datetime.date, on: datetime.date) -> int:
    """Whole years from `birth` to `on`; someone born on 29 February turns a year older on 1 March."""
    years = on.year - birth.year
    if (on.month, on.day) < (birth.month, birth.day):
        years -= 1
    return years


def birth_date_bounds(
    birth_date: datetime.date, precision: BirthDatePrecision | str
) -> tuple[datetime.date, datetime.date]:
    """The earliest and latest day the person can have been born on."""
    precision = BirthDatePrecision(precision)
    if precision == BirthDatePrecision.EXACT:
        return birth_date, birth_date
    if precision == BirthDatePrecision.YEAR_MONTH:
        last_day = calendar.monthrange(birth_date.year, birth_date.month)[1]
        return birth_date.replace(day=1), birth_date.replace(day=last_day)
    # A year, or an estimate taken as precise to its year.
    return datetime.date(birth_date.year, 1, 1), datetime.date(birth_date.year, 12, 31)


def _central_birth_date(birth_date: datetime.date, precision: BirthDatePrecision) -> datetime.date:
    if precision in {BirthDatePrecision.EXACT, BirthDatePrecision.ESTIMATED}:
        return birth_date
    earliest, latest = birth_date_bounds(birth_date, precision)
    return earliest + (latest - earliest) / 2


def age_on(
    birth_date: datetime.date | None, precision: BirthDatePrecision | str, on: datetime.date
) -> Age | None:
    """The person's age on `on`, or None without a birth date. Days of the range after `on` are ignored
    (a person born "in this year" is at least 0); a birth date wholly after `on` raises BornAfterTheDay."""
    if birth_date is None:
        return None
    precision = BirthDatePrecision(precision)
    earliest, latest = birth_date_bounds(birth_date, precision)
    if earliest > on:
        raise BornAfterTheDay("the birth date is after the day asked for")
    latest = min(latest, on)
    central = min(max(_central_birth_date(birth_date, precision), earliest), latest)
    return Age(
        low=completed_years(latest, on),
        high=completed_years(earliest, on),
        estimate=completed_years(central, on),
    )


def age_group(age: int | None) -> AgeGroup:
    """The CTDC ageBroad band of an age in completed years."""
    if age is None or age < 0:
        return AgeGroup.UNKNOWN
    return next(group for lowest, group in _AGE_BANDS if age >= lowest)


def age_group_on(
    birth_date: datetime.date | None, precision: BirthDatePrecision | str, on: datetime.date
) -> AgeGroup:
    """The band of the central estimate (a statistic, so not the protective youngest age)."""
    age = age_on(birth_date, precision, on)
    return age_group(age.estimate if age is not None else None)


def birth_date_from_age_estimate(years: int, on: datetime.date) -> datetime.date:
    """The birth date to store, with precision "estimated", for "about `years` old" said on `on`."""
    if years < 0:
        raise ValueError("an age is not negative")
    year = on.year - years
    # 29 February of a year that has none: the day before.
    day = min(on.day, calendar.monthrange(year, on.month)[1])
    return datetime.date(year, on.month, day)


def age_is_uncertain(
    birth_date: datetime.date | None, precision: BirthDatePrecision | str, age_uncertain: bool
) -> bool:
    """Uncertain when someone said so, when there is no birth date, or when the date is an estimate."""
    return (
        age_uncertain or birth_date is None or BirthDatePrecision(precision) == BirthDatePrecision.ESTIMATED
    )


def child_basis(
    *,
    birth_date: datetime.date | None,
    precision: BirthDatePrecision | str,
    age_uncertain: bool,
    believed_child: bool,
    on: datetime.date,
    threshold: int | None = None,
    presumption_of_minority: bool | None = None,
) -> ChildBasis:
    """Whether, and why, the person is a child on `on`. Threshold and presumption come from the active
    rulebook unless given."""
    if threshold is None:
        threshold = rulebook().children.age_threshold
    if presumption_of_minority is None:
        presumption_of_minority = rulebook().children.presumption_of_minority
    uncertain = age_is_uncertain(birth_date, precision, age_uncertain)
    if presumption_of_minority and uncertain and believed_child:
        return ChildBasis.PRESUMED
    age = age_on(birth_date, precision, on)
    if age is None:
        return ChildBasis.UNKNOWN
    if age.low >= threshold:
        return ChildBasis.ADULT
    return ChildBasis.BY_AGE if age.high < threshold else ChildBasis.POSSIBLY_UNDER_AGE


class AgeFacts(TypedDict):
    """What `child_basis` weighs, for the callers that only want its yes or no."""

    birth_date: datetime.date | None
    precision: BirthDatePrecision | str
    age_uncertain: bool
    believed_child: bool
    on: datetime.date
    threshold: NotRequired[int | None]
    presumption_of_minority: NotRequired[bool | None]


def is_child(**facts: Unpack[AgeFacts]) -> bool:
    """True when the person is, could be, or is presumed to be under the rulebook's age threshold."""
    return child_basis(**facts).is_child
