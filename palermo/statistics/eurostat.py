"""The export for Eurostat's annual data collection on trafficking in human beings: registered victims
(presumed and identified: the `presumed` population, which holds every identified person) in one year, by
sex and age group, by citizenship, and by form of exploitation (and age group), in Eurostat's codes.

The figures are a recorded release (`release_publish`): the same disclosure control as every published table
(threshold and complementary suppression over the three tables together), on the audit record, reproducible
from its snapshot. A withheld cell is written as Eurostat writes a confidential value: no value, flag `c`.

The codes (indicators VCT_*, sex, age Y_LT18/Y_GE18, exploitation SEX/LAB/ORG/CRIM/OTH/UNK) are written from
Eurostat's published data collection, not checked against a source file: the project holds none
(`CODES_VERIFIED`, said in the API's answer and in docs/exchange.md).
"""

from __future__ import annotations

import csv
import datetime
import io
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from palermo.accounts.models import Membership, User
from palermo.cases.reference import ExploitationForm, Gender
from palermo.statistics.models import Release
from palermo.statistics.publication import Parameters, minimum_cell
from palermo.statistics.services import release_publish

TABLES = ("presumed-sex", "presumed-citizenship", "presumed-form")
COLUMNS = ("indic", "year", "sex", "age", "citizen", "exploit", "value", "flag")
SEX = {Gender.FEMININE: "F", Gender.MASCULINE: "M"}  # any other value (or none): UNK
AGE = {"child": "Y_LT18", "adult": "Y_GE18"}
EXPLOITATION = {
    ExploitationForm.SEXUAL_EXPLOITATION: "SEX",
    ExploitationForm.FORCED_LABOUR: "LAB",
    ExploitationForm.SERVITUDE: "LAB",
    ExploitationForm.CHILD_LABOUR: "LAB",
    ExploitationForm.FORCED_BEGGING: "LAB",
    ExploitationForm.ORGAN_REMOVAL: "ORG",
    ExploitationForm.FORCED_CRIMINALITY: "CRIM",
    "": "UNK",
}
CODES_VERIFIED = False
INDICATOR = {"presumed-sex": "VCT_SEX_AGE", "presumed-citizenship": "VCT_CIT", "presumed-form": "VCT_EXP"}


def eurostat_title(year: int) -> str:
    return f"Eurostat THB data collection {year}"


def eurostat_release(*, actor: User, membership: Membership, year: int, snapshot: datetime.date) -> Release:
    """Publish (and record) the release the export is read from."""
    parameters = Parameters(snapshot=snapshot, tables=TABLES, threshold=minimum_cell(), years=(year,))
    return release_publish(
        actor=actor, membership=membership, title=eurostat_title(year), parameters=parameters
    )


def _code(dimension: str, value: Any) -> tuple[str, str]:
    if dimension == "sex":
        return "sex", SEX.get(value, "UNK")
    if dimension == "citizenship":
        return "citizen", value or "UNK"
    if dimension == "form":
        return "exploit", EXPLOITATION.get(value, "OTH")
    raise ValueError(dimension)


def eurostat_rows(cells: Mapping[str, Sequence[Mapping[str, Any]]], year: int) -> Iterator[dict[str, Any]]:
    """The release's cells of `year`, coded for Eurostat. Several forms may share one code (labour): their
    cells are added, and the sum is withheld when any part is (so nothing withheld is given back)."""
    for table in TABLES:
        dimension = table.split("-", 1)[1]
        merged: dict[tuple[tuple[str, str], ...], list[int | None]] = {}
        for cell in cells.get(table, ()):
            coordinates = cell["cell"]
            if coordinates.get("year") != year:
                continue
            own = _code(dimension, coordinates[dimension]) if dimension in coordinates else _total(dimension)
            codes = (("age", AGE.get(coordinates.get("group", ""), "TOTAL")), own)
            merged.setdefault(codes, []).append(cell["count"])
        for found, counts in merged.items():
            withheld = any(n is None for n in counts)
            row: dict[str, Any] = dict.fromkeys(COLUMNS, "")
            row.update(found, indic=INDICATOR[table], year=year)
            row["value"] = "" if withheld else sum(n or 0 for n in counts)
            row["flag"] = "c" if withheld else ""
            yield row


def _total(dimension: str) -> tuple[str, str]:
    return {"sex": "sex", "citizenship": "citizen", "form": "exploit"}[dimension], "TOTAL"


def eurostat_csv(*, actor: User, membership: Membership, year: int, snapshot: datetime.date) -> str:
    """The export as CSV, from a new recorded release."""
    release = eurostat_release(actor=actor, membership=membership, year=year, snapshot=snapshot)
    return as_csv(eurostat_rows(release.cells, year))


def as_csv(rows: Iterator[dict[str, Any]]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()
