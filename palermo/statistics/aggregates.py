"""Counting in the database: a population's distinct persons, grouped by every combination of a cube's
dimensions (`COUNT(DISTINCT person)`): on PostgreSQL in one `GROUP BY GROUPING SETS` query per table, on
SQLite (which has no grouping sets) one grouped query per combination. Only the counts come back, never a
row. Combinations shared by several tables of a release (the year and the group, which every
table is filtered by) are counted once.
"""

from __future__ import annotations

import datetime
import itertools
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.db import connection
from django.db.models import Count, F
from django.utils import timezone

from palermo.statistics.catalogue import NOT_RECORDED
from palermo.statistics.disclosure import Coordinates, Cube
from palermo.statistics.registry import REGISTRY, Population, TableSpec, cube_dimensions


def end_of(day: datetime.date) -> datetime.datetime:
    """The first moment after a snapshot day, in the deployment's time zone."""
    start = datetime.datetime.combine(day + datetime.timedelta(days=1), datetime.time.min)
    return timezone.make_aware(start)


def _value(value: Any) -> Any:
    """A dimension's value as the ORM would give it: raw SQL answers PostgreSQL's EXTRACT as a Decimal."""
    if value is None:
        return NOT_RECORDED
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return value


class Counter:
    """Grouped counts for one snapshot, each combination of a population's dimensions read once."""

    def __init__(self, snapshot: datetime.date) -> None:
        self.snapshot = snapshot
        self.end = end_of(snapshot)
        self._done: dict[tuple[str, frozenset[str]], dict[Coordinates, int]] = {}

    def counts(self, population: Population, dimensions: Iterable[str]) -> dict[Coordinates, int]:
        names = tuple(sorted(dimensions))
        key = (population.key, frozenset(names))
        if key not in self._done:
            self._done[key] = self._count(population, names)
        return self._done[key]

    def _count(self, population: Population, names: tuple[str, ...]) -> dict[Coordinates, int]:
        persons = population.model._default_manager.filter(population.members(self.end))
        count = Count(population.person, distinct=True)
        if not names:
            return {frozenset(): int(persons.aggregate(n=count)["n"] or 0)}
        columns = {f"d_{name}": population.expression(REGISTRY.dimensions[name]) for name in names}
        rows = persons.annotate(**columns).values(*columns).annotate(n=count).order_by()
        result: dict[Coordinates, int] = {}
        for row in rows:
            coordinates = frozenset((name, _value(row[f"d_{name}"])) for name in names)
            result[coordinates] = result.get(coordinates, 0) + int(row["n"])
        return result

    def _grouping_sets(self, population: Population, names: tuple[str, ...]) -> None:
        """PostgreSQL: every combination of the dimensions in one query (GROUP BY GROUPING SETS), one scan
        instead of one per combination. The rows with their dimensions come from the ORM (the same
        expressions as `_count`); the grouping is done over them."""
        wanted = [
            subset
            for size in range(len(names) + 1)
            for subset in itertools.combinations(sorted(names), size)
            if (population.key, frozenset(subset)) not in self._done
        ]
        if not wanted:
            return
        persons = population.model._default_manager.filter(population.members(self.end))
        columns = {f"d_{name}": population.expression(REGISTRY.dimensions[name]) for name in names}
        rows = (
            persons.annotate(**columns, d_person=F(population.person)).values("d_person", *columns).order_by()
        )
        inner, params = rows.query.get_compiler(using=rows.db).as_sql()
        quoted = {name: connection.ops.quote_name(f"d_{name}") for name in names}
        sets = ", ".join("(" + ", ".join(quoted[n] for n in subset) + ")" for subset in wanted)
        flags = ", ".join(f"GROUPING({quoted[n]})" for n in names)
        select = ", ".join(quoted[n] for n in names)
        sql = (
            f"SELECT {select}, {flags}, COUNT(DISTINCT t.{connection.ops.quote_name('d_person')}) "  # noqa: S608
            f"FROM ({inner}) t GROUP BY GROUPING SETS ({sets})"
        )
        found: dict[frozenset[str], dict[Coordinates, int]] = {frozenset(s): {} for s in wanted}
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            for row in cursor.fetchall():
                values, grouped, n = row[: len(names)], row[len(names) : 2 * len(names)], row[-1]
                present = [
                    (name, _value(v)) for name, v, g in zip(names, values, grouped, strict=True) if not g
                ]
                key = frozenset(present)
                bucket = found[frozenset(name for name, _ in present)]
                bucket[key] = bucket.get(key, 0) + int(n)
        for subset, counts in found.items():
            self._done[(population.key, subset)] = counts or ({frozenset(): 0} if not subset else {})

    def cube(self, table: TableSpec) -> Cube:
        """A table's cube: every margin, and the values each dimension takes (those with persons)."""
        population = REGISTRY.populations[table.population]
        names = cube_dimensions(table)
        if connection.vendor == "postgresql":
            self._grouping_sets(population, names)
        counts: dict[Coordinates, int] = {}
        for size in range(len(names) + 1):
            for subset in itertools.combinations(names, size):
                counts.update(self.counts(population, subset))
        values = {
            name: ordered(name, (v for c, n in self.counts(population, (name,)).items() if n for _, v in c))
            for name in names
        }
        additive = frozenset(name for name in names if REGISTRY.dimensions[name].additive)
        return Cube(population.key, names, values, counts, additive)


def ordered(dimension: str, values: Iterable[Any]) -> list[Any]:
    """Values in the dimension's own order (its choices), the others after them in their natural order."""
    known = [value for value, _ in REGISTRY.dimensions[dimension].values()]
    position = {value: i for i, value in enumerate(known)}
    return sorted(set(values), key=lambda v: (position.get(v, len(known)), v == NOT_RECORDED, str(v)))
