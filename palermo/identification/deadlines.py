"""Decision deadlines from the active rulebook: the presumed victim decision counted from the referral (the
case's opening), the identified victim decision from the presumed victim decision.

Rulebook keys: decisions.presumed_victim_days, decisions.presumed_victim_day_kind,
decisions.identified_victim_days, decisions.identified_victim_day_kind ("calendar" or "working": Monday to
Friday in the deployment's time zone; public holidays are not known to rulebooks).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.utils import timezone

from palermo.core.rulebooks import DayKind, rule

KEYS = {
    "presumed": ("decisions.presumed_victim_days", "decisions.presumed_victim_day_kind"),
    "identified": ("decisions.identified_victim_days", "decisions.identified_victim_day_kind"),
}
SATURDAY = 5


def add_days(start: datetime.datetime, days: int, kind: DayKind | str) -> datetime.datetime:
    """`days` calendar or working days after `start`, at the same local time of day."""
    local = timezone.localtime(start)
    if DayKind(kind) == DayKind.CALENDAR:
        return local + datetime.timedelta(days=days)
    day, remaining = local, days
    while remaining > 0:
        day += datetime.timedelta(days=1)
        if day.weekday() < SATURDAY:
            remaining -= 1
    return day


@dataclass(frozen=True)
class Deadline:
    due_at: datetime.datetime
    days: int
    day_kind: str
    rulebook: str


def decision_deadline(kind: str, *, start: datetime.datetime) -> Deadline:
    days_key, kind_key = KEYS[kind]
    days, day_kind = int(rule(days_key)), str(rule(kind_key))
    return Deadline(add_days(start, days, day_kind), days, day_kind, settings.PALERMO_RULEBOOK)
