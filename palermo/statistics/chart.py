"""A table's bar chart: inline SVG drawn on the server from plain geometry (no script, no style attribute: the
content security policy forbids inline style), mirrored for right-to-left languages, with the table beside it
saying the same for screen readers and print. A withheld cell is drawn as a hatched stub, never as a length.
"""

from __future__ import annotations

from dataclasses import dataclass

from palermo.statistics.publication import PublishedTable

WIDTH = 640
LABEL = 200
ROW = 26
BAR = 16
COUNT_SPACE = 56


@dataclass(frozen=True)
class Bar:
    y: float
    text_y: float
    label: str
    label_x: float
    x: float
    width: float
    count_x: float
    count: int | None


@dataclass(frozen=True)
class Drawing:
    width: int
    height: int
    rtl: bool
    bars: list[Bar]
    anchor: str  # text-anchor of the labels: "start" of the drawing's direction


def draw(table: PublishedTable, *, rtl: bool = False) -> Drawing:
    span = WIDTH - LABEL - COUNT_SPACE
    largest = table.largest
    bars = []
    for i, row in enumerate(table.rows):
        length = 0.0 if row.count is None else span * row.count / largest
        shown = 8.0 if row.count is None else length
        if rtl:
            right = WIDTH - LABEL
            x, label_x, count_x = right - shown, WIDTH - 4.0, right - shown - 4
        else:
            x, label_x, count_x = float(LABEL), 4.0, LABEL + shown + 4
        y = 4 + i * ROW
        bars.append(
            Bar(
                y, y + BAR - 3, row.label, label_x, round(x, 1), round(shown, 1), round(count_x, 1), row.count
            )
        )
    return Drawing(WIDTH, 8 + len(table.rows) * ROW, rtl, bars, "start")
