"""Disclosure control for published counts: primary and complementary cell suppression over a whole release.

A release is a set of cubes (a population broken down by some dimensions, with every margin: each cell is
the number of distinct persons in a combination of values, a dimension left out being its total). A cell is
identified by its population and its combination of values, so the same figure in two tables (the year's
total beside the forms and beside the sexes) is one cell, withheld in both or in neither.

1. **Primary suppression**: a cell counting more than none and fewer than the threshold (the rulebook's
   `statistics.minimum_cell`, 11 by default) is withheld.
2. **Complementary suppression**: where a dimension is additive (each person in one value), every line of a
   cube is an equation, total = sum of its cells. A line with one withheld cell gives it back by subtraction,
   so a second cell of the line is withheld too (the smallest non-zero one, so as little as possible is
   lost). This repeats until no line holds exactly one withheld cell.
3. **Audit**: lines together can still give a cell back (two lines sharing two withheld cells...). The
   withheld cells are recoverable exactly when their unit vector lies in the row space of the equations
   restricted to them; the audit finds any such cell with a non-zero count, withholds one more cell of a
   line through it, and goes back to 2. A cell that can be derived is then only ever a zero (which identifies
   nobody), so no withheld count of persons can be recovered from the totals or from the other tables of the
   release. (tests/statistics/test_disclosure.py checks this over random small populations.)

Plain Python with numpy for the audit's linear algebra; it knows nothing of the database.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy

# A cell: the population, and the dimension values it fixes (a dimension not named is its total).
Coordinates = frozenset[tuple[str, Any]]
CellKey = tuple[str, Coordinates]


@dataclass(frozen=True)
class Cube:
    population: str
    dimensions: tuple[str, ...]
    # The values each dimension takes (those with persons; the others are zero everywhere).
    values: Mapping[str, Sequence[Any]]
    # Counts of distinct persons for every combination of values, margins included; missing means zero.
    counts: Mapping[Coordinates, int]
    additive: frozenset[str] = frozenset()

    def coordinates(self) -> Iterable[Coordinates]:
        """Every cell of the cube, margins included."""
        choices = [[None, *self.values[d]] for d in self.dimensions]
        for combination in itertools.product(*choices):
            yield frozenset(
                (d, v) for d, v in zip(self.dimensions, combination, strict=True) if v is not None
            )

    def equations(self) -> Iterable[tuple[CellKey, tuple[CellKey, ...]]]:
        """Each line along an additive dimension: its total, and its cells."""
        for coordinates in self.coordinates():
            fixed = {d for d, _ in coordinates}
            for dimension in self.dimensions:
                if dimension in fixed or dimension not in self.additive or not self.values[dimension]:
                    continue
                parts = tuple(
                    (self.population, coordinates | {(dimension, value)}) for value in self.values[dimension]
                )
                yield (self.population, coordinates), parts


@dataclass
class Protected:
    """The counts of a release, and which cells are withheld."""

    counts: dict[CellKey, int]
    withheld: set[CellKey] = field(default_factory=set)
    threshold: int = 11
    equations: list[tuple[CellKey, ...]] = field(default_factory=list)

    def shown(self, key: CellKey) -> int | None:
        """The count as published: None while withheld."""
        return None if key in self.withheld else self.counts.get(key, 0)

    def recoverable(self) -> list[CellKey]:
        """Withheld cells with persons that the published cells and the release's lines give back exactly."""
        return [key for key in _determined(self.equations, self.withheld) if self.counts.get(key, 0)]


def _order(key: CellKey) -> tuple[str, list[tuple[str, str]]]:
    population, coordinates = key
    return population, sorted((d, repr(v)) for d, v in coordinates)


def protect(cubes: Sequence[Cube], threshold: int) -> Protected:
    """Withhold the small cells of a release and every cell that would give one back."""
    counts: dict[CellKey, int] = {}
    lines: dict[frozenset[CellKey], tuple[CellKey, ...]] = {}
    for cube in cubes:
        for coordinates in cube.coordinates():
            counts[(cube.population, coordinates)] = int(cube.counts.get(coordinates, 0))
        for total, parts in cube.equations():
            line = (total, *parts)
            lines.setdefault(frozenset(line), line)
    equations = list(lines.values())
    withheld = {key for key, n in counts.items() if 0 < n < threshold}
    while True:
        _complete_lines(equations, withheld, counts)
        exposed = [key for key in _determined(equations, withheld) if counts[key]]
        if not exposed:
            break
        if not _withhold_beside(min(exposed, key=_order), equations, withheld, counts):
            break  # cannot happen: a line whose cells are all withheld gives back only zeros
    return Protected(counts=counts, withheld=withheld, threshold=threshold, equations=equations)


def _complement(
    line: Sequence[CellKey], withheld: set[CellKey], counts: Mapping[CellKey, int]
) -> CellKey | None:
    """The cell of a line to withhold beside another: the smallest non-zero published one, else a zero."""
    candidates = [key for key in line if key not in withheld]
    if not candidates:
        return None
    return min(candidates, key=lambda key: (counts.get(key, 0) == 0, counts.get(key, 0), _order(key)))


def _complete_lines(
    equations: Sequence[tuple[CellKey, ...]], withheld: set[CellKey], counts: Mapping[CellKey, int]
) -> None:
    changed = True
    while changed:
        changed = False
        for line in equations:
            if sum(key in withheld for key in line) == 1:
                chosen = _complement(line, withheld, counts)
                if chosen is not None:
                    withheld.add(chosen)
                    changed = True


def _withhold_beside(
    key: CellKey,
    equations: Sequence[tuple[CellKey, ...]],
    withheld: set[CellKey],
    counts: Mapping[CellKey, int],
) -> bool:
    best: CellKey | None = None
    for line in equations:
        if key in line:
            chosen = _complement(line, withheld, counts)
            if chosen is not None and (
                best is None or (counts.get(chosen, 0), _order(chosen)) < (counts.get(best, 0), _order(best))
            ):
                best = chosen
    if best is None:
        return False
    withheld.add(best)
    return True


def _determined(equations: Sequence[tuple[CellKey, ...]], withheld: set[CellKey]) -> list[CellKey]:
    """Withheld cells whose value follows from the lines (the unit vector is in their row space).

    Each line is total - sum(cells) = 0; the published cells move to the right-hand side, so only the
    columns of the withheld cells matter. A cell is determined exactly when every vector of the null space
    of that matrix is zero at its column. Lines that share no withheld cell are independent, so each
    connected group of withheld cells is solved on its own (small matrices, however large the release)."""
    involved = [line for line in equations if any(key in withheld for key in line)]
    parent: dict[CellKey, CellKey] = {}

    def root(key: CellKey) -> CellKey:
        while parent.setdefault(key, key) != key:
            parent[key] = parent[parent[key]]
            key = parent[key]
        return key

    for line in involved:
        cells = [key for key in line if key in withheld]
        for other in cells[1:]:
            parent[root(other)] = root(cells[0])
    groups: dict[CellKey, list[tuple[CellKey, ...]]] = {}
    for line in involved:
        first = next(key for key in line if key in withheld)
        groups.setdefault(root(first), []).append(line)
    found: list[CellKey] = []
    for lines in groups.values():
        found += _determined_in(lines, withheld)
    return found


def _determined_in(lines: Sequence[tuple[CellKey, ...]], withheld: set[CellKey]) -> list[CellKey]:
    columns = sorted({key for line in lines for key in line if key in withheld}, key=_order)
    index = {key: i for i, key in enumerate(columns)}
    matrix = numpy.zeros((len(lines), len(columns)))
    for row, line in enumerate(lines):
        total, *parts = line
        if total in index:
            matrix[row, index[total]] += 1.0
        for part in parts:
            if part in index:
                matrix[row, index[part]] -= 1.0
    _, singular, vt = numpy.linalg.svd(matrix, full_matrices=True)
    rank = int((singular > 1e-9 * max(1.0, float(singular[0]) if singular.size else 1.0)).sum())
    null_space = vt[rank:]
    if null_space.shape[0] == 0:
        return list(columns)
    weight = numpy.abs(null_space).max(axis=0)
    return [key for key, w in zip(columns, weight, strict=True) if w < 1e-9]
