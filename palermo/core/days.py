"""Days the user gives for what has already happened (a hearing held, a claim made, a decision served): the
checks every area makes of them, with the same messages."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


def clean_past_day(day: datetime.date | None, *, referred_on: datetime.date) -> datetime.date:
    """A day that has happened (today when none is given): not in the future, and not before the case was
    referred (`referred_on`, the referral's local day)."""
    today = timezone.localdate()
    day = day or today
    if day > today:
        raise ValidationError(_("The day cannot be in the future."), code="future")
    if day < referred_on:
        raise ValidationError(_("The day cannot be before the referral."), code="before_referral")
    return day
