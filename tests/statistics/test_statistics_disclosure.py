"""Disclosure control over random small populations (hypothesis): no published cell counts fewer persons than
the threshold (zero aside), and no withheld cell can be given back by the totals or the other tables of the
same release, checked by an audit independent of the one the suppression uses (a rank test per cell)."""

from __future__ import annotations

import itertools
from collections import Counter
from typing import Any

import numpy
from hypothesis import given, settings
from hypothesis import strategies as st

from palermo.statistics.disclosure import CellKey, Coordinates, Cube, Protected, protect

YEARS = (2023, 2024, 2025)
GROUPS = ("adult", "child")
SEXES = ("Feminine", "Masculine", "NonSpecifiedUnknown")
FORMS = ("ForcedLabour", "SexualExploitation", "ForcedCriminality")

person = st.fixed_dictionaries(
    {
        "year": st.sampled_from(YEARS),
        "group": st.sampled_from(GROUPS),
        "sex": st.sampled_from(SEXES),
        "forms": st.sets(st.sampled_from(FORMS), min_size=1, max_size=2),
    }
)


def cube(
    people: list[dict[str, Any]], population: str, dimensions: tuple[str, ...], additive: set[str]
) -> Cube:
    """Counts of distinct persons for every margin, computed the slow obvious way."""
    counts: Counter[Coordinates] = Counter()
    for p in people:
        options = []
        for d in dimensions:
            own = sorted(p["forms"]) if d == "form" else [p[d]]
            options.append([None, *own])
        seen: set[Coordinates] = set()
        for combination in itertools.product(*options):
            key = frozenset((d, v) for d, v in zip(dimensions, combination, strict=True) if v is not None)
            if key not in seen:
                seen.add(key)
                counts[key] += 1
    values = {
        d: sorted({v for p in people for v in (p["forms"] if d == "form" else [p[d]])}) for d in dimensions
    }
    return Cube(population, dimensions, values, dict(counts), frozenset(additive))


def rank_says_recoverable(protected: Protected, key: CellKey) -> bool:
    """Independent audit: the cell's unit vector adds no rank to the withheld cells' equations."""
    columns = sorted(protected.withheld, key=repr)
    index = {k: i for i, k in enumerate(columns)}
    rows = []
    for line in protected.equations:
        row = numpy.zeros(len(columns))
        total, *parts = line
        if total in index:
            row[index[total]] += 1
        for part in parts:
            if part in index:
                row[index[part]] -= 1
        if row.any():
            rows.append(row)
    if not rows:
        return False
    matrix = numpy.array(rows)
    unit = numpy.zeros(len(columns))
    unit[index[key]] = 1
    return numpy.linalg.matrix_rank(numpy.vstack([matrix, unit])) == numpy.linalg.matrix_rank(matrix)


@settings(max_examples=60, deadline=None)
@given(people=st.lists(person, min_size=1, max_size=60), threshold=st.integers(min_value=3, max_value=11))
def test_no_small_cell_is_published_and_none_withheld_is_recoverable(
    people: list[dict[str, Any]], threshold: int
) -> None:
    release = [
        cube(people, "referred", ("year", "group", "sex"), {"year", "group", "sex"}),
        cube(people, "referred", ("year", "group", "form"), {"year", "group"}),
        cube(
            [p for p in people if p["sex"] != "Masculine"], "presumed", ("year", "group"), {"year", "group"}
        ),
    ]
    protected = protect(release, threshold)
    for key in protected.counts:
        shown = protected.shown(key)
        assert shown is None or shown == 0 or shown >= threshold
    for line in protected.equations:
        assert sum(key in protected.withheld for key in line) != 1
    for key in protected.withheld:
        if protected.counts[key]:
            assert not rank_says_recoverable(protected, key), key
    assert protected.recoverable() == []


def test_one_small_cell_takes_a_second_one_and_the_totals_stay() -> None:
    people = [{"year": 2024, "group": "adult", "sex": s, "forms": {"ForcedLabour"}} for s in ["Feminine"] * 3]
    people += [{"year": 2024, "group": "adult", "sex": "Masculine", "forms": {"ForcedLabour"}}] * 20
    people += [{"year": 2024, "group": "adult", "sex": "NonSpecifiedUnknown", "forms": {"ForcedLabour"}}] * 15
    protected = protect([cube(people, "referred", ("sex",), {"sex"})], 11)
    assert protected.shown(("referred", frozenset({("sex", "Feminine")}))) is None
    # The smallest other cell goes with it; the total (38) stays.
    assert protected.shown(("referred", frozenset({("sex", "NonSpecifiedUnknown")}))) is None
    assert protected.shown(("referred", frozenset({("sex", "Masculine")}))) == 20
    assert protected.shown(("referred", frozenset())) == 38
