"""Small cells: a count below PALERMO_MINIMUM_CELL, and a figure computed from one, is withheld; zero and
counts at the threshold are shown."""

from __future__ import annotations

import pytest

from palermo.core.disclosure import computed_cell, count_cell


@pytest.fixture(autouse=True)
def threshold(settings):
    settings.PALERMO_MINIMUM_CELL = 5


@pytest.mark.parametrize("count", [1, 2, 4])
def test_a_count_below_the_threshold_is_withheld(count):
    cell = count_cell(count)
    assert cell.withheld and cell.shown is None and cell.value == count


@pytest.mark.parametrize("count", [0, 5, 6])
def test_zero_and_counts_from_the_threshold_are_shown(count):
    cell = count_cell(count)
    assert not cell.withheld and cell.shown == count


def test_a_rate_is_withheld_when_its_numerator_or_its_denominator_is_small():
    assert computed_cell(0.25, 2, 8).shown is None  # 0.25 x 8 shown would give back the 2
    assert computed_cell(1.0, 4, 4).shown is None
    assert computed_cell(0.0, 0, 4).shown is None  # nothing accepted out of 4: the 4 is still few
    assert computed_cell(0.0, 0, 8).shown == 0.0
    assert computed_cell(0.5, 5, 10).shown == 0.5


def test_an_average_of_few_is_withheld_and_of_enough_is_shown():
    assert computed_cell(4.0, 4).withheld
    assert computed_cell(4.0, 5).shown == 4.0
    assert computed_cell(None, 0).shown is None  # no data is not withholding
    assert not computed_cell(None, 0).withheld
