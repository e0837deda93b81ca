"""Calendar days in the deployment's time zone: today, when a deadline on a day falls, and the checks every
area makes of the days the user gives for what has already happened (a hearing held, a claim made, a decision
served), with the same messages."""

from __future__ import annotations

import datetime
import re

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from palermo.core.periods import DayKind


def today() -> datetime.date:
    return timezone.localdate()


def days_in_words(count: int, kind: DayKind = DayKind.CALENDAR) -> str:
    """A number of days in the reader's language ("30 days", "5 working days")."""
    if kind == DayKind.WORKING:
        return ngettext("%(count)d working day", "%(count)d working days", count) % {"count": count}
    return ngettext("%(count)d day", "%(count)d days", count) % {"count": count}


def end_of_day(day: datetime.date) -> datetime.datetime:
    """The last second of a calendar day in the deployment's time zone: when a deadline on that day falls."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(23, 59, 59)))


def clean_past_day(day: datetime.date | None, *, referred_on: datetime.date) -> datetime.date:
    """A day that has happened (today when none is given): not in the future, and not before the case was
    referred (`referred_on`, the referral's local day)."""
    this_day = today()
    day = day or this_day
    if day > this_day:
        raise ValidationError(_("The day cannot be in the future."), code="future")
    if day < referred_on:
        raise ValidationError(_("The day cannot be before the referral."), code="before_referral")
    return day


_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
EARLIEST_YEAR = 1900


def parse_month(value: str | datetime.date | None) -> datetime.date | None:
    """ "YYYY-MM" (or a date) as the first day of its month; None when empty; ValueError when not a month."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime.date):
        return value.replace(day=1)
    found = _MONTH.match(value.strip())
    if not found:
        raise ValueError("not a month")
    year, month = int(found.group(1)), int(found.group(2))
    if not 1 <= month <= 12 or year < EARLIEST_YEAR:
        raise ValueError("not a month")
    return datetime.date(year, month, 1)
