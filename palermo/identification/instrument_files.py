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

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

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
    """A reason the file (or, with `field`, the instrument's name, version or source) is refused, in the
    language of whoever sent it."""

    line: int  # 1 is the header; 0 concerns the file as a whole
    reason: str
    field: str = ""

    def __str__(self) -> str:
        return (
            _("line %(line)d: %(reason)s") % {"line": self.line, "reason": self.reason}
            if self.line
            else self.reason
        )

    @property
    def key(self) -> str:
        """Where the API's error names it: the field, `rows.<line>`, or `file`."""
        return self.field or (f"rows.{self.line}" if self.line else "file")


class InstrumentFileError(ValidationError):
    """The file is refused; `errors` lists every bad line, in file order (the API's error names each by
    `LineError.key`)."""

    def __init__(self, errors: list[LineError]) -> None:
        self.errors = errors
        fields: dict[str, list[str]] = {}
        for error in errors:
            fields.setdefault(error.key, []).append(error.reason)
        super().__init__(fields)


@dataclass(frozen=True)
class Row:
    line: int
    dimension: str
    indicator: IndicatorSpec


def read_text(path: Path) -> str:
    try:
        return decoded(path.read_bytes())
    except OSError as error:
        reason = _("cannot read the file: %(reason)s") % {"reason": error.strerror}
        raise InstrumentFileError([LineError(0, reason)]) from None


def decoded(content: bytes) -> str:
    """A file's text (UTF-8, with or without a byte order mark), or InstrumentFileError."""
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        reason = _("not UTF-8 text (byte %(byte)d)") % {"byte": error.start}
        raise InstrumentFileError([LineError(0, reason)]) from None


def _weight(value: str, column: str, *, optional: bool) -> tuple[Weight | None, str | None]:
    value = value.strip().casefold()
    if optional and value == "":
        return None, None
    try:
        return Weight(value), None
    except ValueError:
        if optional:
            reason = _("%(column)s %(value)s is not one of %(weights)s, or empty")
        else:
            reason = _("%(column)s %(value)s is not one of %(weights)s")
        return None, reason % {"column": column, "value": repr(value), "weights": WEIGHTS}


def _check_row(fields: list[str]) -> tuple[Row | None, list[str]]:
    if len(fields) != len(COLUMNS):
        found = {"found": len(fields), "expected": len(COLUMNS), "columns": ", ".join(COLUMNS)}
        return None, [_("%(found)d fields, expected %(expected)d (%(columns)s)") % found]
    dimension, text, adult, child = (field.strip() for field in fields)
    reasons = []
    if dimension not in DIMENSION_GROUPS:
        known = {"dimension": repr(dimension), "known": ", ".join(DIMENSION_GROUPS)}
        reasons.append(_("unknown dimension %(dimension)s (known: %(known)s)") % known)
    if not text:
        reasons.append(_("the indicator text is empty"))
    elif len(text) > INDICATOR_MAX_LENGTH:
        limit = {"limit": INDICATOR_MAX_LENGTH}
        reasons.append(_("the indicator text is longer than %(limit)d characters") % limit)
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
            errors.append(LineError(1, _("the header must be %(columns)s") % {"columns": ",".join(COLUMNS)}))
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
                again = _("the same indicator is already on line %(line)d") % {"line": seen[key]}
                errors.append(LineError(line, again))
                continue
            seen[key] = line
            rows.append(Row(line, row.dimension, row.indicator))
    except csv.Error as error:
        errors.append(LineError(reader.line_num, _("not valid CSV: %(reason)s") % {"reason": error}))
    if not rows and not errors:
        errors.append(LineError(0, _("the file holds no indicators")))
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
