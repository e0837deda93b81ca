"""Counting in the database: a population's distinct persons, grouped by every combination of a cube's
dimensions (`COUNT(DISTINCT person)`): on PostgreSQL in one `GROUP BY GROUPING SETS` query per table, on
SQLite (which has no grouping sets) one grouped query per combination. Only the counts come back, never a
row. Combinations shared by several tables of a release (the year and the group, which every
table is filtered by) are counted once.
"""

from __future__ import annotations

import datetime
import itertools
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Count, F, Model, Subquery, UniqueConstraint
from django.db.models.expressions import Col
from django.db.models.sql import Query
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

    def prepare(self, tables: Iterable[TableSpec]) -> None:
        """PostgreSQL: the cubes of several tables in as few scans as possible. Per population, one
        `GROUPING SETS` query over every combination of the additive dimensions of all its tables (the
        year, the group, the quarter, sex, age, agency type, region...), then one per table with a dimension
        that is not additive (forms, citizenships), for the combinations that include it. Elsewhere a no-op:
        `cube` counts what it needs."""
        if connection.vendor != "postgresql":
            return
        by_population: dict[str, list[tuple[str, ...]]] = {}
        for table in tables:
            by_population.setdefault(table.population, []).append(cube_dimensions(table))
        for key, cubes in by_population.items():
            population = REGISTRY.populations[key]
            additive = [
                subset
                for names in cubes
                for subset in _subsets(names)
                if all(REGISTRY.dimensions[n].additive for n in subset)
            ]
            self._grouping_sets(population, list(dict.fromkeys(additive)))
            for names in cubes:
                self._grouping_sets(population, _subsets(names))

    def _grouping_sets(self, population: Population, subsets: list[tuple[str, ...]]) -> None:
        """PostgreSQL: every wanted combination of dimensions in one query (GROUP BY GROUPING SETS), one scan
        instead of one per combination. The rows with their dimensions come from the ORM (the same
        expressions as `_count`); the grouping is done over them. Where the rows are made distinct per person
        and values (already so for a population of persons with no join that can repeat one, otherwise by
        `SELECT DISTINCT`) and no group can hold a person twice, the rows are first counted into their finest
        cells and each grouping set sums the cells; otherwise `COUNT(DISTINCT person)`, which PostgreSQL sorts
        for each grouping set."""
        wanted = [s for s in subsets if (population.key, frozenset(s)) not in self._done]
        if not wanted:
            return
        names = tuple(sorted({n for subset in wanted for n in subset}))
        persons = population.model._default_manager.filter(population.members(self.end))
        columns = {f"d_{name}": population.expression(REGISTRY.dimensions[name]) for name in names}
        rows = (
            persons.annotate(**columns, d_person=F(population.person)).values("d_person", *columns).order_by()
        )
        # A row per (person, values) is enough to count with COUNT(*) when every combination wanted includes
        # each dimension where a person can take several values: the rows of one person then never fall
        # twice in one group.
        several = {n for n in names if not REGISTRY.dimensions[n].additive}
        countable = all(several <= set(subset) for subset in wanted)
        if countable and not _unique_rows(rows, population):
            rows = rows.distinct()
        inner, params = rows.query.get_compiler(using=rows.db).as_sql()
        quoted = {name: connection.ops.quote_name(f"d_{name}") for name in names}
        person = connection.ops.quote_name("d_person")
        sets = ", ".join("(" + ", ".join(quoted[n] for n in subset) + ")" for subset in wanted)
        flags = ", ".join(f"GROUPING({quoted[n]})" for n in names) if names else "0"
        select = "".join(f"{quoted[n]}, " for n in names)
        if countable:
            source, count = _finest_cells(inner, [quoted[n] for n in names]), "COALESCE(SUM(t.persons), 0)"
        else:
            source, count = f"({inner}) t", f"COUNT(DISTINCT t.{person})"
        sql = f"SELECT {select}{flags}, {count} FROM {source} GROUP BY GROUPING SETS ({sets})"  # noqa: S608
        found: dict[frozenset[str], dict[Coordinates, int]] = {frozenset(s): {} for s in wanted}
        with statistics_memory(), connection.cursor() as cursor:
            cursor.execute(sql, params)
            for row in cursor.fetchall():
                values = row[: len(names)]
                grouped = row[len(names) : 2 * len(names)] if names else ()
                present = [
                    (name, _value(v)) for name, v, g in zip(names, values, grouped, strict=True) if not g
                ]
                key = frozenset(present)
                bucket = found[frozenset(name for name, _ in present)]
                bucket[key] = bucket.get(key, 0) + int(row[-1])
        for subset, counts in found.items():
            self._done[(population.key, subset)] = counts or ({frozenset(): 0} if not subset else {})

    def cube(self, table: TableSpec) -> Cube:
        """A table's cube: every margin, and the values each dimension takes (those with persons)."""
        population = REGISTRY.populations[table.population]
        names = cube_dimensions(table)
        if connection.vendor == "postgresql":
            self._grouping_sets(population, _subsets(names))
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


@contextmanager
def statistics_memory() -> Iterator[None]:
    """PostgreSQL: the memory each sort or hash of these queries may use, so that the grouping sets hash in
    memory instead of sorting on disk; set for this transaction alone (`set_config(..., true)` is `SET
    LOCAL`) and put back on leaving, since a request's own transaction may outlive the block (on an error, the
    block's savepoint or transaction is rolled back, and the setting with it)."""
    with transaction.atomic():
        if connection.vendor != "postgresql":
            yield
            return
        with connection.cursor() as cursor:
            cursor.execute("SELECT current_setting('work_mem')")
            before = cursor.fetchone()[0]
            cursor.execute("SELECT set_config('work_mem', %s, true)", [settings.PALERMO_STATISTICS_WORK_MEM])
        yield
        with connection.cursor() as cursor:
            cursor.execute("SELECT set_config('work_mem', %s, true)", [before])


def _finest_cells(rows: str, columns: list[str]) -> str:
    """The rows (one per person and values) counted once into their finest cells, so that each grouping set
    then sums a few thousand cells instead of hashing every row again: at a million persons the grouping
    sets over the rows took most of the dashboard's time (bench/statistics_tables.py)."""
    listed = ", ".join(columns)
    grouped = f" GROUP BY {listed}" if columns else ""
    head = f"{listed}, " if columns else ""
    return f"(SELECT {head}COUNT(*) AS persons FROM ({rows}) r{grouped}) t"  # noqa: S608


def _subsets(names: tuple[str, ...]) -> list[tuple[str, ...]]:
    return [
        subset for size in range(len(names) + 1) for subset in itertools.combinations(sorted(names), size)
    ]


def _unique_rows(rows: Any, population: Population) -> bool:
    """Whether no two rows of the query are the same person with the same values, so that `SELECT DISTINCT`
    (a hash of every row) can be left out: the population is of persons, and every join that goes from one row
    to many reaches a model with a unique constraint over the join's key and the columns the dimensions read
    from it (a case's forms: one row per form; a person's citizenships: one per country) and filters nothing.
    Anything else (a join the filter uses, a many-to-many) keeps the DISTINCT."""
    if population.person != "pk":
        return False
    query = rows.query
    filtered = {col.alias for col in _columns(query.where)}
    selected = [col for expression in query.annotation_select.values() for col in _columns(expression)]
    for alias, join in query.alias_map.items():
        relation = getattr(join, "join_field", None)
        if relation is None or not (relation.one_to_many or relation.many_to_many):
            continue
        if relation.many_to_many or alias in filtered:
            return False
        read = {col.target.name for col in selected if col.alias == alias}
        if not _unique_over(relation.related_model, {relation.field.name} | read):
            return False
    return True


def _columns(expression: Any) -> Iterator[Col]:
    """The columns an expression or a filter reads in its own query (not inside a subquery)."""
    if isinstance(expression, Col):
        yield expression
        return
    if isinstance(expression, Subquery | Query):
        return
    parts = getattr(expression, "children", None)
    if parts is None:
        parts = expression.get_source_expressions() if hasattr(expression, "get_source_expressions") else []
    for part in parts:
        yield from _columns(part)


def _unique_over(model: type[Model], names: set[str]) -> bool:
    """Whether some unique constraint of the model (unconditional) lies within these fields."""
    meta = model._meta
    unique = [
        set(c.fields)
        for c in meta.constraints
        if isinstance(c, UniqueConstraint) and c.fields and c.condition is None
    ]
    unique += [set(together) for together in meta.unique_together]
    unique += [{field.name} for field in meta.fields if field.unique]
    return any(fields <= names for fields in unique)


def ordered(dimension: str, values: Iterable[Any]) -> list[Any]:
    """Values in the dimension's own order (its choices), the others after them in their natural order."""
    known = [value for value, _ in REGISTRY.dimensions[dimension].values()]
    position = {value: i for i, value in enumerate(known)}
    return sorted(set(values), key=lambda v: (position.get(v, len(known)), v == NOT_RECORDED, str(v)))
