"""The HTCDS 2.0 field standard, read from the standard's own file (never retyped here): the exchange's
columns (palermo.exchange) and the picklists the case record offers (the sector of exploitation).

`HTCDS_FILE` is the CSV conversion of the published field reference (docs/decisions/0049). Each field has its
name with its table prefix (`prs_Gender`) and, for a picklist, its value names. Exports are checked against it
and imports refuse a value it does not know. The labels the case record offers are said in the reader's
language: palermo.core.htcds_words marks each for translation, and a test keeps that list equal to the file.
"""

from __future__ import annotations

import csv
import functools
from dataclasses import dataclass
from pathlib import Path

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy

HTCDS_FILE = Path(__file__).parent / "data" / "HTCDS-Field-Standards-2.0.csv"
PICKLISTS = ("Picklist", "Multiselect Picklist")


@dataclass(frozen=True)
class Field:
    name: str
    kind: str
    values: frozenset[str]  # a picklist's value names; empty for other kinds (or an ISO code list)
    choices: tuple[tuple[str, str], ...] = ()  # (value name, label) in the standard's order

    @property
    def multiple(self) -> bool:
        return self.kind == "Multiselect Picklist"

    @property
    def closed(self) -> bool:
        """A picklist whose values the standard lists (not "use ISO 3166...")."""
        return self.kind in PICKLISTS and bool(self.values)


@functools.cache
def htcds_fields(path: Path = HTCDS_FILE) -> dict[str, Field]:
    fields: dict[str, Field] = {}
    with path.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            name = (row.get("Field Name including Prefix") or "").strip()
            if not name:
                continue
            kind = (row.get("Field Type") or "").strip()
            raw = row.get("Value Names (if picklist)") or ""
            values = [v.strip() for v in raw.splitlines() if v.strip()]
            if len(values) == 1 and " " in values[0]:  # "Use ISO 3166 country codes standard": not a list
                values = []
            labels = [
                v.strip() for v in (row.get("Value Labels (if picklist)") or "").splitlines() if v.strip()
            ]
            fields[name] = Field(name, kind, frozenset(values), tuple(zip(values, labels, strict=False)))
    return fields


def check_value(name: str, value: str) -> str | None:
    """Why `value` is not valid for field `name` (None when it is). Multiselect values are `;`-separated."""
    field = htcds_fields().get(name)
    if field is None:
        return f"{name} is not an HTCDS 2.0 field"
    if not value or not field.closed:
        return None
    parts = [v.strip() for v in value.split(";")] if field.multiple else [value.strip()]
    unknown = [v for v in parts if v not in field.values]
    if unknown:
        return f"{name}: {', '.join(unknown)} is not a value of the standard"
    return None


def picklist(name: str) -> list[tuple[str, str | Promise]]:
    """A picklist's (value name, label) pairs in the standard's order, each label in the reader's language
    when it is said (marked for translation in palermo.core.htcds_words; else as the standard writes it)."""
    return [(value, gettext_lazy(label)) for value, label in htcds_fields()[name].choices]
