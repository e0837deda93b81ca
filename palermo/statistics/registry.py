"""What the rapporteur's statistics count: populations of persons, the dimensions they are broken down by, and
the tables published. A registry, so the areas above the case areas (justice's proceedings and compensation,
returns) add their own populations and tables from their ready() without this area importing them.

A population counts persons, never events: each has the model it is read from and the path from that model to
the person (`Count(person, distinct=True)`), so a person referred twice to a service counts once in a cell.
Every dimension has a closed, public set of values (the key set a differentially private release needs, and
what the tables list even where a value counts nobody). The registry holds three rules of disclosure control
(docs/decisions/0040) that no registration can break:

- children are never broken down beyond broad age bands: the age dimension has one band for every child
  (0-17, at the time of the exploitation where it is known: docs/decisions/0018);
- a population about returns, tracing or guardianship (`place_free`) is never counted by place: registering
  a table that crosses it with a place dimension (region, citizenship...) is refused;
- a dimension is additive (each person in exactly one value) or not (forms of exploitation, citizenships,
  permits: a person may count in several values, so its values do not add up to the total).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Model, Q
from django.utils.functional import Promise

Label = str | Promise


@dataclass(frozen=True)
class Dimension:
    key: str
    label: Label
    # The expression to group by, given the population's path to the case ("case__" or "") and to the
    # person ("" or "case__persons__").
    expression: Callable[[str, str], Any]
    # Every value it can take, in display order, with its label (a callable: the set may depend on the data
    # year range or a code list, read when a table is computed).
    values: Callable[[], Sequence[tuple[Any, Label]]]
    additive: bool = True
    place: bool = False
    # Read from the person (sex, age, citizenship) rather than the case.
    personal: bool = False


@dataclass(frozen=True)
class Population:
    key: str
    label: Label
    model: type[Model]
    # The persons of the population as of the end of a snapshot day (an aware datetime): a filter on model.
    members: Callable[[Any], Q]
    case_path: str = "case__"
    person_path: str = ""
    # Returns, tracing and guardianship: never counted by place.
    place_free: bool = False
    order: int = 50
    # A dimension read otherwise than from the case (anonymous notifications have no case): key -> expression.
    overrides: Mapping[str, Callable[[], Any]] = field(default_factory=dict)

    def expression(self, dimension: Dimension) -> Any:
        override = self.overrides.get(dimension.key)
        return override() if override else dimension.expression(self.case_path, self.person_path)

    @property
    def person(self) -> str:
        return self.person_path + "id" if self.person_path else "pk"


@dataclass(frozen=True)
class TableSpec:
    key: str
    title: Label
    population: str
    dimension: str
    order: int = 50
    # Which areas a table belongs to on the dashboard ("persons", "outcomes"...).
    group: str = "persons"
    note: Label = ""


@dataclass
class Registry:
    dimensions: dict[str, Dimension] = field(default_factory=dict)
    populations: dict[str, Population] = field(default_factory=dict)
    tables: dict[str, TableSpec] = field(default_factory=dict)


REGISTRY = Registry()

# The dimensions every view can be filtered by: they are part of every published cube, so a filtered view is
# a slice of one protected release, never a separately protected table (docs/decisions/0040).
FILTER_DIMENSIONS = ("year", "group")


def register_dimension(dimension: Dimension) -> None:
    REGISTRY.dimensions[dimension.key] = dimension


def register_population(population: Population) -> None:
    REGISTRY.populations[population.key] = population


def register_table(table: TableSpec) -> None:
    """Add a published table; refused when it would break a rule of disclosure control."""
    population = REGISTRY.populations.get(table.population)
    dimension = REGISTRY.dimensions.get(table.dimension)
    if population is None or dimension is None:
        raise ValueError(f"table {table.key}: unknown population or dimension")
    if population.place_free and dimension.place:
        raise ValueError(f"table {table.key}: {population.key} is never counted by place")
    REGISTRY.tables[table.key] = table


def cube_dimensions(table: TableSpec) -> tuple[str, ...]:
    """The dimensions of the cube a table is a slice of: the filters and its own."""
    return tuple(dict.fromkeys((*FILTER_DIMENSIONS, table.dimension)))


def tables_of(population: str | None = None) -> list[TableSpec]:
    return sorted(
        (t for t in REGISTRY.tables.values() if population is None or t.population == population),
        key=lambda t: (t.order, t.key),
    )
