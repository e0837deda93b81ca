"""Figures beside the counts: time from referral to each decision (median and 90th percentile, in days), and
the share of presumed victims granted a reflection period with its median length.

Computed in the database: PostgreSQL's `percentile_cont`; SQLite has no percentile, so there only the
durations (numbers of days, nothing else) of the chosen cell come back and are ranked in Python. A figure is
withheld when it is computed from fewer persons than the threshold; a share is shown only when both of its
counts are published cells of the release (a share times its denominator gives back its numerator).
"""

from __future__ import annotations

import datetime
import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db import connection
from django.db.models import Aggregate, Count, DurationField, ExpressionWrapper, F, FloatField, Func, QuerySet
from django.db.models.functions import ExtractYear
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from palermo.identification.models import DecisionKind, DecisionProcedure, IdentificationDecision
from palermo.reflection.models import ReflectionPeriod
from palermo.statistics.aggregates import end_of
from palermo.statistics.catalogue import child_case


class PercentileCont(Aggregate):
    """PostgreSQL's ordered-set aggregate: the p-th percentile of an expression, interpolated."""

    function = "percentile_cont"
    template = "%(function)s(%(percentile)s) WITHIN GROUP (ORDER BY %(expressions)s)"
    output_field = FloatField()

    def __init__(self, expression: Any, percentile: float, **extra: Any) -> None:
        super().__init__(expression, percentile=float(percentile), **extra)


def _in_days(expression: Any) -> Any:
    return ExpressionWrapper(expression, output_field=DurationField())


def percentiles(
    rows: QuerySet[Any], duration: Any, person: str, points: Sequence[float]
) -> tuple[int, list[float | None]]:
    """Distinct persons and the percentiles (in days) of a duration over a queryset, in the database."""
    n = int(rows.aggregate(n=Count(person, distinct=True))["n"] or 0)
    if not n:
        return 0, [None for _ in points]
    if connection.vendor == "postgresql":
        seconds = Func(duration, template="EXTRACT(EPOCH FROM %(expressions)s)", output_field=FloatField())
        found = rows.aggregate(**{f"p{i}": PercentileCont(seconds, p) for i, p in enumerate(points)})
        return n, [None if found[f"p{i}"] is None else found[f"p{i}"] / 86400 for i in range(len(points))]
    values = sorted(
        _days(v) or 0.0 for v in rows.annotate(_days=_in_days(duration)).values_list("_days", flat=True)
    )
    return n, [_interpolated(values, p) for p in points]


def _days(value: Any) -> float | None:
    if value is None:
        return None
    if isinstance(value, datetime.timedelta):
        return value.total_seconds() / 86400
    return float(value) / 86_400_000_000  # microseconds (SQLite) or an interval read as such


def _interpolated(values: Sequence[float], p: float) -> float | None:
    """The same interpolation as percentile_cont."""
    if not values:
        return None
    position = p * (len(values) - 1)
    low, high = math.floor(position), math.ceil(position)
    return values[low] + (values[high] - values[low]) * (position - low)


@dataclass(frozen=True)
class Timing:
    label: str | Promise
    persons: int
    median: float | None
    p90: float | None
    withheld: bool


def _filtered(rows: QuerySet[Any], case: str, year: int | None, group: str | None) -> QuerySet[Any]:
    if year is not None:
        rows = rows.annotate(_year=ExtractYear(f"{case}opened_at")).filter(_year=year)
    if group == "child":
        rows = rows.filter(child_case(case))
    elif group == "adult":
        rows = rows.exclude(child_case(case))
    return rows


def decision_times(
    snapshot: datetime.date, threshold: int, *, year: int | None, group: str | None
) -> list[Timing]:
    end = end_of(snapshot)
    found = []
    for kind, label in (
        (DecisionKind.PRESUMED, _("Referral to presumed-victim decision")),
        (DecisionKind.IDENTIFIED, _("Referral to identified-victim decision")),
    ):
        rows = IdentificationDecision.objects.filter(
            kind=kind, procedure=DecisionProcedure.FIRST, decided_at__lt=end, case__opened_at__lt=end
        )
        rows = _filtered(rows, "case__", year, group)
        n, (median, p90) = percentiles(
            rows, F("decided_at") - F("case__opened_at"), "case__persons", (0.5, 0.9)
        )
        small = 0 < n < threshold
        found.append(Timing(label, n, None if small else median, None if small else p90, small))
    return found


def reflection_lengths(
    snapshot: datetime.date, threshold: int, *, year: int | None, group: str | None
) -> Timing:
    end = end_of(snapshot)
    rows = _filtered(
        ReflectionPeriod.objects.filter(opened_at__lt=end, case__opened_at__lt=end), "case__", year, group
    )
    n = int(rows.aggregate(n=Count("case__persons", distinct=True))["n"] or 0)
    small = 0 < n < threshold
    if connection.vendor == "postgresql":
        median = rows.aggregate(m=PercentileCont(F("length_days"), 0.5))["m"]
    else:
        median = _interpolated(sorted(float(v) for v in rows.values_list("length_days", flat=True)), 0.5)
    return Timing(_("Length of the reflection period granted"), n, None if small else median, None, small)
