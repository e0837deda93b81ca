"""A publication: the tables of a release, counted as of a snapshot day, protected, and sliced for display.

The dashboard and a recorded release are the same thing computed the same way: the exact counts (or their
differentially private version) of every table's cube, with the disclosure control of the whole set applied
once. A view with filters (a year, adults or children) is a slice of those cubes, so whatever a reader
filters, every figure shown is one of the release's protected cells (docs/decisions/0040).
"""

from __future__ import annotations

import datetime
import hashlib
import json
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from palermo.core.rulebooks import rulebook
from palermo.statistics.aggregates import Counter
from palermo.statistics.catalogue import label_of
from palermo.statistics.disclosure import CellKey, Cube, Protected, protect
from palermo.statistics.privacy import Noise, noisy_cubes
from palermo.statistics.registry import REGISTRY, TableSpec, tables_of


def minimum_cell() -> int:
    return rulebook().statistics.minimum_cell


@dataclass(frozen=True)
class Parameters:
    """Everything a release depends on besides the data: recomputing with these gives the same release."""

    snapshot: datetime.date
    tables: tuple[str, ...]
    threshold: int
    mechanism: str = "none"
    epsilon: float | None = None
    delta: float | None = None
    years: tuple[int, ...] = ()

    def as_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["snapshot"] = self.snapshot.isoformat()
        data["tables"] = list(self.tables)
        data["years"] = list(self.years)
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Parameters:
        return cls(
            snapshot=datetime.date.fromisoformat(data["snapshot"]),
            tables=tuple(data["tables"]),
            threshold=int(data["threshold"]),
            mechanism=data.get("mechanism", "none"),
            epsilon=data.get("epsilon"),
            delta=data.get("delta"),
            years=tuple(data.get("years", ())),
        )


@dataclass(frozen=True)
class Row:
    value: Any
    label: str
    count: int | None  # None: withheld

    @property
    def withheld(self) -> bool:
        return self.count is None


@dataclass(frozen=True)
class PublishedTable:
    key: str
    title: str | Promise
    dimension: str
    dimension_label: str | Promise
    rows: list[Row]
    total: int | None
    additive: bool
    threshold: int

    @property
    def largest(self) -> int:
        """The largest row's count: a chart's longest bar, so that rows of a long table (a quarter each) still
        differ visibly; the total is not a bar."""
        return max([row.count or 0 for row in self.rows] + [1])

    def as_json(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "title": str(self.title),
            "dimension": self.dimension,
            "rows": [{"value": r.value, "label": r.label, "count": r.count} for r in self.rows],
            "total": self.total,
            "withheld": [r.value for r in self.rows if r.withheld]
            + ([] if self.total is not None else ["total"]),
            "additive": self.additive,
        }


@dataclass
class Publication:
    parameters: Parameters
    cubes: dict[str, Cube]
    protected: Protected
    epsilon_spent: float = 0.0
    digest: str = ""
    specs: dict[str, TableSpec] = field(default_factory=dict)

    def table(self, key: str, *, year: int | None = None, group: str | None = None) -> PublishedTable:
        spec = self.specs[key]
        cube = self.cubes[key]
        fixed: set[tuple[str, Any]] = set()
        for name, value in (("year", year), ("group", group)):
            if value is not None and name != spec.dimension:
                fixed.add((name, value))
        dimension = REGISTRY.dimensions[spec.dimension]
        rows = []
        known = list(dimension.values())
        for value in cube.values[spec.dimension]:
            if not _within(spec.dimension, value, year, group):
                continue
            shown = self.protected.shown((cube.population, frozenset(fixed | {(spec.dimension, value)})))
            rows.append(Row(value, label_of(spec.dimension, value, known), shown))
        total_key: CellKey = (cube.population, frozenset(fixed))
        population = REGISTRY.populations[spec.population]
        return PublishedTable(
            key=key,
            title=spec.title or f"{population.label} — {dimension.label}",
            dimension=spec.dimension,
            dimension_label=dimension.label,
            rows=rows,
            total=self.protected.shown(total_key),
            additive=dimension.additive,
            threshold=self.parameters.threshold,
        )

    def published(self) -> dict[str, Any]:
        """Every published cell of the release (withheld ones as null), for the record and the API."""
        return {
            key: [
                {
                    "cell": dict(sorted(coordinates)),
                    "count": self.protected.shown((cube.population, coordinates)),
                }
                for coordinates in cube.coordinates()
            ]
            for key, cube in self.cubes.items()
        }


def _within(dimension: str, value: Any, year: int | None, group: str | None) -> bool:
    """Whether a row belongs to the filtered view: the chosen year's quarters only, the chosen year or group
    only in their own table."""
    if dimension == "quarter" and year is not None:
        return str(value).startswith(f"{year}-")
    chosen = {"year": year, "group": group}.get(dimension)
    return chosen is None or chosen == value


def digest_of(cubes: dict[str, Cube]) -> str:
    """A fingerprint of the exact counts: a release recomputed later from its parameters matches it when the
    data of its snapshot have not changed (the counts themselves are never stored)."""
    data = {
        key: sorted([sorted(map(list, c)), n] for c, n in cube.counts.items()) for key, cube in cubes.items()
    }
    return hashlib.sha256(json.dumps(data, sort_keys=True, default=str).encode()).hexdigest()


def default_tables() -> tuple[str, ...]:
    return tuple(table.key for table in tables_of())


def compute(parameters: Parameters, *, noise: bool = True) -> Publication:
    counter = Counter(parameters.snapshot)
    specs = {key: REGISTRY.tables[key] for key in parameters.tables}
    counter.prepare(specs.values())
    exact = {key: counter.cube(spec) for key, spec in specs.items()}
    digest = digest_of(exact)
    cubes, spent = exact, 0.0
    if noise and parameters.mechanism != "none":
        mechanism = Noise(parameters.mechanism, float(parameters.epsilon or 0), float(parameters.delta or 0))
        cubes, spent = noisy_cubes(exact, list(specs.values()), parameters.years, mechanism)
    protected = protect(list(cubes.values()), parameters.threshold)
    return Publication(parameters, cubes, protected, spent, digest, specs)


def years_of(publication: Publication) -> list[int]:
    years: set[int] = set()
    for cube in publication.cubes.values():
        years.update(v for v in cube.values.get("year", ()) if isinstance(v, int))
    return sorted(years)


GROUPS: Sequence[tuple[str, str | Promise]] = (("adult", _("Adults")), ("child", _("Children")))
