"""The one date arithmetic: calendar months clamp to the month's end, working days skip weekends and the
rulebook's public holidays, and a period in months never equals a fixed number of days."""

from __future__ import annotations

import datetime
import zoneinfo
from typing import Any

import pytest

from palermo.core.periods import (
    Holidays,
    add_days,
    add_months,
    add_period,
    add_working_days,
    deadline_at,
    is_working_day,
)
from palermo.core.rulebooks import Period, rulebook

D = datetime.date


@pytest.mark.parametrize(
    ("start", "months", "end"),
    [
        (D(2026, 1, 15), 3, D(2026, 4, 15)),  # the same day of the month
        (D(2026, 11, 30), 3, D(2027, 2, 28)),  # no 30 February: the month's last day
        (D(2027, 11, 30), 3, D(2028, 2, 29)),  # a leap year has the 29th
        (D(2028, 1, 31), 1, D(2028, 2, 29)),
        (D(2026, 1, 31), 1, D(2026, 2, 28)),
        (D(2026, 8, 31), 1, D(2026, 9, 30)),
        (D(2026, 10, 31), 3, D(2027, 1, 31)),  # across the year
        (D(2028, 2, 29), 12, D(2029, 2, 28)),
        (D(2026, 5, 5), 0, D(2026, 5, 5)),
    ],
)
def test_months_are_calendar_months_clamped_to_the_months_end(
    start: datetime.date, months: int, end: datetime.date
) -> None:
    assert add_months(start, months) == end
    assert add_period(start, months=months) == end


def test_three_months_are_not_a_fixed_number_of_days() -> None:
    three = Period(months=3)
    assert three.days_from(D(2026, 1, 1)) == 90  # Jan + Feb + Mar
    assert three.days_from(D(2026, 3, 1)) == 92  # Mar + Apr + May
    assert three.days_from(D(2028, 1, 1)) == 91  # leap February
    assert Period(days=90).shorter_than(three)
    assert not Period(days=92).shorter_than(three)
    assert not three.shorter_than(Period(days=89))
    assert three.shorter_than(Period(days=90))  # 1 January 2026 + 3 months is 90 days, Feb 2028 start 89


def test_days_stay_days() -> None:
    assert add_days(D(2026, 11, 30), 90) == D(2027, 2, 28)
    assert Period(days=30).end(D(2028, 2, 1)) == D(2028, 3, 2)
    assert str(Period(days=1)) == "1 day" and str(Period(months=3)) == "3 months"


def test_working_days_skip_weekends_and_public_holidays() -> None:
    easter = Holidays.of([D(2026, 4, 3), D(2026, 4, 6)])
    thursday = D(2026, 4, 2)
    assert add_working_days(thursday, 1) == D(2026, 4, 3)  # no holidays: Good Friday counts
    assert add_working_days(thursday, 1, easter) == D(2026, 4, 7)  # Friday and Monday are holidays
    assert add_working_days(thursday, 5, easter) == D(2026, 4, 13)
    assert not is_working_day(D(2026, 4, 4))  # Saturday


def test_yearly_holidays_recur_every_year() -> None:
    christmas = Holidays.of(yearly=[(12, 25), (12, 26), (1, 1)])
    assert D(2031, 12, 25) in christmas and D(2031, 12, 24) not in christmas
    # Wednesday 24 December 2025: Thursday 25 and Friday 26 are holidays, then the weekend, then Monday 29.
    assert add_working_days(D(2025, 12, 24), 1, christmas) == D(2025, 12, 29)


def test_a_deadline_keeps_the_local_time_and_uses_the_rulebook_calendar(settings: Any) -> None:
    settings.TIME_ZONE = "Europe/Rome"
    rome = zoneinfo.ZoneInfo("Europe/Rome")
    start = datetime.datetime(2026, 4, 2, 10, 30, tzinfo=rome)
    holidays = rulebook("it-dlgs286").calendar.holidays  # Easter Monday 2026 listed by date
    due = deadline_at(start, 2, "working", holidays)
    assert due.date() == D(2026, 4, 7)  # Friday 3, then Monday 6 is a holiday, Tuesday 7
    assert (due.hour, due.minute) == (10, 30)
    # Across the change to summer time (29 March 2026) the wall-clock hour is kept.
    assert deadline_at(datetime.datetime(2026, 3, 27, 9, 0, tzinfo=rome), 3, "calendar").hour == 9


def test_the_shipped_calendars_hold_what_their_comments_say() -> None:
    gb = rulebook("gb-msa2015").calendar.holidays
    assert D(2026, 12, 28) in gb  # Boxing Day's substitute: 26 December 2026 is a Saturday
    it = rulebook("it-dlgs286").calendar.holidays
    assert D(2030, 6, 2) in it  # Festa della Repubblica, every year
    assert rulebook("osce-2005").calendar.holidays == Holidays()
