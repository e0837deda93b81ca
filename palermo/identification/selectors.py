"""Reads of identification data. Instruments are reference data (T0): any member may read them."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet

from palermo.identification.models import Dimension, Indicator, Instrument
from palermo.identification.rules import DimensionSpec, Group, IndicatorSpec, Weight


def instruments_all() -> QuerySet[Instrument]:
    return Instrument.objects.order_by("name", "-imported_at", "-id")


def instrument_with_indicators(queryset: QuerySet[Instrument] | None = None) -> QuerySet[Instrument]:
    """Instruments with their dimensions and indicators in two more queries, whatever their number."""
    dimensions = Dimension.objects.order_by("position").prefetch_related(
        Prefetch("indicators", queryset=Indicator.objects.order_by("position"))
    )
    return (queryset if queryset is not None else instruments_all()).prefetch_related(
        Prefetch("dimensions", queryset=dimensions)
    )


def instrument_find(name: str, version: str | None = None) -> Instrument | None:
    """By name, and version when given; without a version, the one imported last."""
    found = instrument_with_indicators().filter(name=name)
    if version is not None:
        found = found.filter(version=version)
    return found.first()


def instrument_specs(instrument: Instrument) -> tuple[DimensionSpec, ...]:
    """The instrument as the pure rule reads it (use an instrument from instrument_with_indicators)."""
    return tuple(
        DimensionSpec(
            key=dimension.key,
            group=Group(dimension.group),
            indicators=tuple(
                IndicatorSpec(
                    text=indicator.text,
                    adult_weight=Weight(indicator.adult_weight),
                    child_weight=Weight(indicator.child_weight) if indicator.child_weight else None,
                )
                for indicator in dimension.indicators.all()
            ),
        )
        for dimension in instrument.dimensions.all()
    )
