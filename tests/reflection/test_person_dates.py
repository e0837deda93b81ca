"""The end of the person's reflection period, as their summary states it (palermo.cases.dates)."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from palermo.cases.dates import DateKind, person_dates
from palermo.reflection.models import ReflectionPeriod

pytestmark = pytest.mark.django_db


def test_a_running_period_states_its_last_day(running):
    [ends] = [d for d in person_dates(running.case) if d.kind == DateKind.REFLECTION_ENDS]
    assert ends.on == running.ends_on and not ends.pending


def test_a_period_that_has_passed_is_not_stated(running):
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    ReflectionPeriod.objects.filter(pk=running.pk).update(starts_on=yesterday, ends_on=yesterday)
    assert DateKind.REFLECTION_ENDS not in {d.kind for d in person_dates(running.case)}
