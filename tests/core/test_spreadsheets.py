"""One defence against CSV injection for every export a person may open in a spreadsheet."""

from __future__ import annotations

import pytest

from palermo.core.spreadsheets import FORMULA_STARTS, defused, undefused


@pytest.mark.parametrize("start", FORMULA_STARTS)
def test_a_cell_a_spreadsheet_would_run_is_written_as_text_and_read_back_as_typed(start: str) -> None:
    typed = f'{start}HYPERLINK("http://example.invalid")'
    assert defused(typed) == "'" + typed
    assert undefused(defused(typed)) == typed


@pytest.mark.parametrize("typed", ["Mariana", "'quoted", "", "3 - 4", "user@example.invalid"])
def test_other_text_is_kept_as_it_is_both_ways(typed: str) -> None:
    assert defused(typed) == typed
    assert undefused(typed) == typed


def test_nothing_is_an_empty_cell() -> None:
    assert defused(None) == ""
