"""Reading an indicator instrument from CSV: all or nothing, every bad line reported with its reason.

The columns are those of the shipped lists: `dimension,indicator,strength_adult,strength_child`. The dimension
is one of the six of the 2009 lists (the combination rule is defined over them); a weight is strong, medium or
weak; an empty child weight means the indicator is not on the child list. Pure: no database.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path

from palermo.identification.rules import (
    DIMENSION_GROUPS,
    DIMENSION_ORDER,
    DimensionSpec,
    IndicatorSpec,
    Weight,
)

COLUMNS = ("dimension", "indicator", "strength_adult", "strength_child")
INDICATOR_MAX_LENGTH = 300
WEIGHTS = ", ".join(str(w) for w in Weight)


@dataclass(frozen=True)
class LineError:
    line: int  # 1 is the header; 0 concerns the file as a whole
    reason: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.reason}" if self.line else self.reason


class InstrumentFileError(ValueError):
    """The file is refused; `errors` lists every bad line, in file order."""

    def __init__(self, errors: list[LineError]) -> None:
        super().__init__(f"{len(errors)} problem(s) in the instrument file")
        self.errors = errors


@dataclass(frozen=True)
class Row:
    line: int
    dimension: str
    indicator: IndicatorSpec


def read_text(path: Path) -> str:
    try:
        return path.read_bytes().decode("utf-8-sig")
    except OSError as error:
        raise InstrumentFileError([LineError(0, f"cannot read the file: {error.strerror}")]) from None
    except UnicodeDecodeError as error:
        raise InstrumentFileError([LineError(0, f"not UTF-8 text (byte {error.start})")]) from None


def _weight(value: str, column: str, *, optional: bool) -> tuple[Weight | None, str | None]:
    value = value.strip().casefold()
    if optional and value == "":
        return None, None
    try:
        return Weight(value), None
    except ValueError:
        empty = " or empty" if optional else ""
        return None, f"{column} {value!r} is not one of {WEIGHTS}{empty}"


def _check_row(fields: list[str]) -> tuple[Row | None, list[str]]:
    if len(fields) != len(COLUMNS):
        return None, [f"{len(fields)} fields, expected {len(COLUMNS)} ({', '.join(COLUMNS)})"]
    dimension, text, adult, child = (field.strip() for field in fields)
    reasons = []
    if dimension not in DIMENSION_GROUPS:
        reasons.append(f"unknown dimension {dimension!r} (known: {', '.join(DIMENSION_GROUPS)})")
    if not text:
        reasons.append("the indicator text is empty")
    elif len(text) > INDICATOR_MAX_LENGTH:
        reasons.append(f"the indicator text is longer than {INDICATOR_MAX_LENGTH} characters")
    adult_weight, adult_error = _weight(adult, "strength_adult", optional=False)
    child_weight, child_error = _weight(child, "strength_child", optional=True)
    reasons += [e for e in (adult_error, child_error) if e]
    if reasons or adult_weight is None:
        return None, reasons
    return Row(0, dimension, IndicatorSpec(text, adult_weight, child_weight)), []


def parse_instrument_csv(text: str) -> list[Row]:
    """The rows of a valid file, or InstrumentFileError naming every bad line."""
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    errors: list[LineError] = []
    rows: list[Row] = []
    seen: dict[tuple[str, str], int] = {}
    try:
        header = next(reader, None)
        if header is None or [h.strip().casefold() for h in header] != list(COLUMNS):
            errors.append(LineError(1, f"the header must be {','.join(COLUMNS)}"))
        start = reader.line_num + 1
        for fields in reader:
            line, start = start, reader.line_num + 1
            if not any(field.strip() for field in fields):
                continue  # blank line
            row, reasons = _check_row(fields)
            errors += [LineError(line, reason) for reason in reasons]
            if row is None:
                continue
            key = (row.dimension, row.indicator.text.casefold())
            if key in seen:
                errors.append(LineError(line, f"the same indicator is already on line {seen[key]}"))
                continue
            seen[key] = line
            rows.append(Row(line, row.dimension, row.indicator))
    except csv.Error as error:
        errors.append(LineError(reader.line_num, f"not valid CSV: {error}"))
    if not rows and not errors:
        errors.append(LineError(0, "the file holds no indicators"))
    if errors:
        raise InstrumentFileError(errors)
    return rows


def specs_from_rows(rows: list[Row]) -> tuple[DimensionSpec, ...]:
    """The rule's view of parsed rows, without a database: dimensions in the 2009 order, rows in file
    order."""
    keys = sorted({row.dimension for row in rows}, key=DIMENSION_ORDER.__getitem__)
    return tuple(
        DimensionSpec(key, DIMENSION_GROUPS[key], tuple(r.indicator for r in rows if r.dimension == key))
        for key in keys
    )
