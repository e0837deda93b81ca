"""Text written into a CSV file that a person may open in a spreadsheet (CSV injection).

A spreadsheet runs a cell that starts with one of FORMULA_STARTS as a formula, so a name or a note typed as
"=HYPERLINK(...)" would run on the reader's machine. `defused` puts a quote before such a cell, which the
spreadsheet shows as text; `undefused` takes it off again when the project reads its own export back."""

from __future__ import annotations

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def defused(value: object) -> str:
    """The value as a cell's text that no spreadsheet runs as a formula ('' for None)."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def undefused(text: str) -> str:
    """A cell as it was before `defused` (a text that merely starts with a quote is kept as it is)."""
    return text[1:] if text.startswith("'") and text[1:].startswith(FORMULA_STARTS) else text
