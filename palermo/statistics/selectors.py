"""The rapporteur's reads: the dashboard's publication for a view, and the recorded releases. T0 only.

A view computes the tables of its population (the stage chosen) and the outcome tables, protected
together. Cells of different populations share no line (a presumed victim is also a referred person, so the
populations nest and give only inequalities), so protecting each population's tables apart is protecting the
release as a whole (docs/decisions/0040).
"""

from __future__ import annotations

import datetime
import hashlib
import json
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.db.models import QuerySet, Sum
from django.utils import timezone

from palermo.statistics.measures import Timing, decision_times, reflection_lengths
from palermo.statistics.models import PrivacySpend, Release
from palermo.statistics.publication import (
    Parameters,
    Publication,
    PublishedTable,
    compute,
    minimum_cell,
    years_of,
)
from palermo.statistics.registry import tables_of
from palermo.statistics.web import Filters


@dataclass
class Dashboard:
    filters: Filters
    publication: Publication
    tables: list[PublishedTable]
    outcomes: list[PublishedTable]
    timings: list[Timing]
    reflection: Timing
    years: list[int]
    threshold: int
    counted_at: datetime.datetime


def dashboard_tables(filters: Filters) -> list[str]:
    return [t.key for t in tables_of(filters.stage)] + [t.key for t in tables_of() if t.group == "outcomes"]


def dashboard(filters: Filters) -> Dashboard:
    threshold = minimum_cell()
    parameters = Parameters(
        snapshot=filters.day, tables=tuple(dashboard_tables(filters)), threshold=threshold
    )
    publication, counted_at = counted(parameters)
    shown = [
        publication.table(spec.key, year=filters.year, group=filters.group)
        for spec in (publication.specs[key] for key in parameters.tables)
    ]
    return Dashboard(
        filters=filters,
        publication=publication,
        tables=[
            t
            for t, key in zip(shown, parameters.tables, strict=True)
            if publication.specs[key].group != "outcomes"
        ],
        outcomes=[
            t
            for t, key in zip(shown, parameters.tables, strict=True)
            if publication.specs[key].group == "outcomes"
        ],
        timings=decision_times(filters.day, threshold, year=filters.year, group=filters.group),
        reflection=reflection_lengths(filters.day, threshold, year=filters.year, group=filters.group),
        years=years_of(publication),
        threshold=threshold,
        counted_at=counted_at,
    )


def one_table(filters: Filters, key: str) -> PublishedTable | None:
    """One table of the view (for its download), protected with the rest of the view."""
    keys = dashboard_tables(filters)
    if key not in keys:
        return None
    parameters = Parameters(snapshot=filters.day, tables=tuple(keys), threshold=minimum_cell())
    return counted(parameters)[0].table(key, year=filters.year, group=filters.group)


def counted(parameters: Parameters) -> tuple[Publication, datetime.datetime]:
    """The view's tables and when they were counted. A view is counted at most once every
    `PALERMO_STATISTICS_RECOUNT_MINUTES` for the same snapshot day, tables and threshold: a change of year or
    group, or a table's download, then answers from the same counts instead of counting every person again
    (seconds at a million persons: bench/statistics_tables.py), and the page says when they were counted.
    Releases never use this: they are counted when they are made (services.release_publish)."""
    minutes = settings.PALERMO_STATISTICS_RECOUNT_MINUTES
    if minutes <= 0:
        return compute(parameters), timezone.now()
    digest = hashlib.sha256(json.dumps(parameters.as_json(), sort_keys=True).encode()).hexdigest()
    key = f"statistics:view:{digest}"
    found = cache.get(key)
    if found is None:
        found = (compute(parameters), timezone.now())
        cache.set(key, found, minutes * 60)
    return found


def releases() -> QuerySet[Release]:
    return Release.objects.select_related("agency").defer("cells")


def ledger() -> list[dict[str, float]]:
    """What each data year has spent of its privacy budget."""
    rows = PrivacySpend.objects.values("year").annotate(spent=Sum("epsilon")).order_by("year")
    return [{"year": row["year"], "spent": float(row["spent"])} for row in rows]


def budget() -> float:
    from palermo.core.rulebooks import rulebook

    return rulebook().statistics.privacy_budget_per_year


def release_tables(release: Release) -> list[dict[str, object]]:
    """A recorded release's published cells, table by table, with their labels (read from the record, never
    recomputed: the record is what was published)."""
    from palermo.statistics.catalogue import label_of
    from palermo.statistics.registry import REGISTRY

    found = []
    for key, cells in release.cells.items():
        spec = REGISTRY.tables.get(key)
        if spec is None:
            continue
        rows = []
        for cell in cells:
            coordinates = cell["cell"]
            if set(coordinates) - {spec.dimension}:
                continue  # the filtered slices are in the record; the page shows the national table
            value = coordinates.get(spec.dimension)
            rows.append(
                {
                    "label": "" if value is None else label_of(spec.dimension, value),
                    "count": cell["count"],
                    "total": value is None,
                }
            )
        population = REGISTRY.populations[spec.population]
        found.append(
            {
                "key": key,
                "title": spec.title or f"{population.label} — {REGISTRY.dimensions[spec.dimension].label}",
                "rows": rows,
            }
        )
    return found
