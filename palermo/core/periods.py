"""Date arithmetic for periods the law states: the one place that adds days, working days and months.

- Days are calendar days: ``add_days(day, 30)``.
- Working days are Monday to Friday, less the public holidays of the rulebook in force:
  ``add_working_days(day, 5, holidays)``; counting starts the day after ``day``.
- Months are calendar months: ``add_months(day, 3)`` is the same day of the month three months later, or the
  last day of that month when it has no such day (30 November + 3 months = 28 February, or 29 in a leap year;
  31 January + 1 month = 28/29 February). This is the rule of the civil codes that count periods in months
  (e.g. BGB s. 188(3), codice civile art. 2963) and of Regulation (EEC, Euratom) No 1182/71, art. 3(2)(c).
- ``deadline_at(start, days, kind)`` does the same for a moment, at the same local time of day.

Functions of their arguments only: the public holidays come in as a ``Holidays`` value, so this module does
not read the rulebook (``rulebook().calendar.holidays`` builds the value from the rulebook's ``[calendar]``).
"""

from __future__ import annotations

import calendar
import datetime
import enum
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.utils import timezone

SATURDAY = 5


class DayKind(enum.StrEnum):
    """How a deadline counts: every day, or working days (Monday to Friday, less public holidays)."""

    CALENDAR = "calendar"
    WORKING = "working"


@dataclass(frozen=True)
class Holidays:
    """Public holidays: fixed dates, and month-days that recur every year (1 January is (1, 1))."""

    dates: frozenset[datetime.date] = field(default_factory=frozenset)
    yearly: frozenset[tuple[int, int]] = field(default_factory=frozenset)

    @classmethod
    def of(cls, dates: Iterable[datetime.date] = (), yearly: Iterable[tuple[int, int]] = ()) -> Holidays:
        return cls(frozenset(dates), frozenset(yearly))

    def __contains__(self, day: object) -> bool:
        if not isinstance(day, datetime.date):
            return False
        return day in self.dates or (day.month, day.day) in self.yearly


NO_HOLIDAYS = Holidays()


def is_working_day(day: datetime.date, holidays: Holidays = NO_HOLIDAYS) -> bool:
    return day.weekday() < SATURDAY and day not in holidays


def add_days(day: datetime.date, days: int) -> datetime.date:
    """`days` calendar days after `day`."""
    return day + datetime.timedelta(days=days)


def add_working_days(day: datetime.date, days: int, holidays: Holidays = NO_HOLIDAYS) -> datetime.date:
    """The `days`-th working day after `day` (`day` itself does not count, whatever it is)."""
    remaining = days
    while remaining > 0:
        day += datetime.timedelta(days=1)
        if is_working_day(day, holidays):
            remaining -= 1
    return day


def add_months(day: datetime.date, months: int) -> datetime.date:
    """The same day `months` calendar months later, or the last day of that month when it has no such day."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return day.replace(year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1]))


def add_period(day: datetime.date, *, days: int = 0, months: int = 0) -> datetime.date:
    """The end of a period of `months` calendar months and `days` calendar days starting on `day`."""
    return add_days(add_months(day, months), days)


def deadline_at(
    start: datetime.datetime, days: int, kind: DayKind | str, holidays: Holidays = NO_HOLIDAYS
) -> datetime.datetime:
    """`days` calendar or working days after the aware moment `start`, at the same local time of day.

    The local date is moved and the wall-clock time kept, so a deadline across a daylight saving change
    still falls at the hour it was set from."""
    local = timezone.localtime(start)
    if DayKind(kind) == DayKind.CALENDAR:
        target = add_days(local.date(), days)
    else:
        target = add_working_days(local.date(), days, holidays)
    # Adding a timedelta to an aware datetime keeps its wall-clock time (Python's aware arithmetic).
    return local + datetime.timedelta(days=(target - local.date()).days)
