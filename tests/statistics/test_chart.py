"""A table's bars: the largest row spans the bars' width, the others in proportion; a withheld row is a stub
of fixed length; right to left, the bars grow from the right."""

from __future__ import annotations

from palermo.statistics.chart import COUNT_SPACE, LABEL, WIDTH, draw
from palermo.statistics.publication import PublishedTable, Row

SPAN = WIDTH - LABEL - COUNT_SPACE


def quarters(*counts: int | None) -> PublishedTable:
    rows = [Row(f"2026-Q{n}", f"2026-Q{n}", count) for n, count in enumerate(counts, start=1)]
    total = sum(count or 0 for count in counts)
    return PublishedTable("referred-quarter", "Quarter", "quarter", "Quarter", rows, total, True, 11)


def test_the_largest_row_spans_the_width_whatever_the_total() -> None:
    bars = draw(quarters(140, 70, None, 35)).bars
    assert [bar.width for bar in bars] == [SPAN, SPAN / 2, 8.0, SPAN / 4]
    assert bars[2].count is None


def test_right_to_left_the_bars_grow_from_the_right() -> None:
    left, right = draw(quarters(140, 70)).bars, draw(quarters(140, 70), rtl=True).bars
    assert [bar.width for bar in right] == [bar.width for bar in left]
    assert all(bar.x + bar.width == WIDTH - LABEL for bar in right)
    assert all(bar.x == LABEL for bar in left)
