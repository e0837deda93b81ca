"""Differentially private counts through OpenDP (docs/decisions/0040).

A DP release measures, for each of its tables, the finest cells of the table's cube (year x group x value)
over public key sets: the release's years, both groups, and every value the dimension can take, whether or
not anyone has it (a key set read from the data would itself disclose). The margins are sums of those noisy
cells (post-processing, free of privacy loss) where the dimension is additive; where it is not (a person may
have several forms of exploitation), the year x group margins come from the population's own noisy cells.

One person changes at most one cell of each additive table and of each population's base, and at most as
many cells as the dimension has values in a non-additive one: that bound is the sensitivity handed to
OpenDP, whose measurement then says how much privacy the release spends (`map`). Laplace noise gives pure
epsilon-DP; Gaussian noise gives zero-concentrated DP, converted to (epsilon, delta) at the release's delta.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import opendp.prelude as dp

from palermo.core.iso import country_names
from palermo.statistics.disclosure import Coordinates, Cube
from palermo.statistics.registry import REGISTRY, TableSpec, cube_dimensions

dp.enable_features("contrib")

LAPLACE = "laplace"
GAUSSIAN = "gaussian"
MECHANISMS = (LAPLACE, GAUSSIAN)


def public_values(dimension: str, years: Sequence[int]) -> list[Any]:
    """The key set of a dimension: fixed by the code lists and the release's parameters, never by the data."""
    if dimension == "year":
        return list(years)
    if dimension == "quarter":
        return [f"{year}-Q{q}" for year in years for q in range(1, 5)]
    if dimension in ("citizenship", "nationality"):
        return [*sorted(country_names("en")), ""]
    return [value for value, _ in REGISTRY.dimensions[dimension].values()]


@dataclass(frozen=True)
class Noise:
    mechanism: str
    epsilon: float
    delta: float = 0.0


def _base_cells(names: Sequence[str], keys: dict[str, list[Any]]) -> list[Coordinates]:
    return [
        frozenset(zip(names, combination, strict=True))
        for combination in itertools.product(*(keys[name] for name in names))
    ]


def sensitivity(tables: Sequence[TableSpec], years: Sequence[int]) -> int:
    """How many measured cells one person can change in the release (each by one)."""
    total = 0
    for population in {table.population for table in tables}:
        total += 1  # the population's year x group cells
        for table in tables:
            if table.population != population or table.dimension in ("year", "group"):
                continue
            dimension = REGISTRY.dimensions[table.dimension]
            total += 1 if dimension.additive else len(public_values(table.dimension, years))
    return total


def _measurement(noise: Noise, size: int, bound: int) -> tuple[Any, float]:
    """An OpenDP measurement over a vector of counts, its noise scaled so that it spends `noise.epsilon`
    for one person's change of `bound` cells; and the epsilon OpenDP itself says it spends."""
    domain = dp.vector_domain(dp.atom_domain(T=int), size=size)
    if noise.mechanism == LAPLACE:
        measurement = dp.m.make_laplace(domain, dp.l1_distance(T=int), scale=bound / noise.epsilon)
        return measurement, float(measurement.map(bound))
    l2 = math.sqrt(bound)

    def epsilon_at(scale: float) -> float:
        gaussian = dp.m.make_gaussian(domain, dp.l2_distance(T=float), scale=scale)
        return float(dp.c.make_zCDP_to_approxDP(gaussian).map(l2).epsilon(noise.delta))

    # The smallest scale whose (epsilon, delta) fits the asked epsilon: a bisection on the scale.
    low, high = 1e-3, 1e6
    for _ in range(80):
        middle = math.sqrt(low * high)
        low, high = (low, middle) if epsilon_at(middle) <= noise.epsilon else (middle, high)
    measurement = dp.m.make_gaussian(domain, dp.l2_distance(T=float), scale=high)
    return measurement, epsilon_at(high)


def noisy_cubes(
    exact: dict[str, Cube], tables: Sequence[TableSpec], years: Sequence[int], noise: Noise
) -> tuple[dict[str, Cube], float]:
    """The release's cubes with OpenDP noise, and the epsilon spent."""
    keys = {name: public_values(name, years) for t in tables for name in cube_dimensions(t)}
    layout: list[tuple[str, Coordinates]] = []
    for population in sorted({t.population for t in tables}):
        layout += [(f"{population}:base", c) for c in _base_cells(("year", "group"), keys)]
    for table in tables:
        if table.dimension not in ("year", "group"):
            layout += [(table.key, c) for c in _base_cells(cube_dimensions(table), keys)]
    true = []
    for owner, coordinates in layout:
        cube = exact[owner] if ":" not in owner else _any_cube(exact, tables, owner)
        true.append(int(cube.counts.get(coordinates, 0)))
    bound = sensitivity(tables, years)
    measurement, spent = _measurement(noise, len(true), bound)
    released = [max(0, round(v)) for v in measurement(true)]
    measured: dict[str, dict[Coordinates, int]] = {}
    for (owner, coordinates), value in zip(layout, released, strict=True):
        measured.setdefault(owner, {})[coordinates] = value
    return {table.key: _rebuilt(table, measured, keys) for table in tables}, spent


def _any_cube(exact: dict[str, Cube], tables: Sequence[TableSpec], owner: str) -> Cube:
    population = owner.split(":")[0]
    return next(exact[t.key] for t in tables if t.population == population)


def _rebuilt(
    table: TableSpec, measured: dict[str, dict[Coordinates, int]], keys: dict[str, list[Any]]
) -> Cube:
    """A cube whose finest cells are the noisy ones and whose margins are their sums (post-processing)."""
    names = cube_dimensions(table)
    base = measured[f"{table.population}:base"]
    finest = base if table.dimension in ("year", "group") else measured[table.key]
    dimension = REGISTRY.dimensions[table.dimension]
    counts: dict[Coordinates, int] = {}
    for size in range(len(names) + 1):
        for subset in itertools.combinations(names, size):
            if table.dimension not in subset and not dimension.additive:
                source, kept = base, subset
            else:
                source, kept = finest, subset
            for coordinates, value in source.items():
                key = frozenset((d, v) for d, v in coordinates if d in kept)
                counts[key] = counts.get(key, 0) + value
    values = {name: list(keys[name]) for name in names}
    additive = frozenset(name for name in names if REGISTRY.dimensions[name].additive)
    return Cube(table.population, names, values, counts, additive)
