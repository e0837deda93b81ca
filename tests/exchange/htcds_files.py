"""Synthetic HTCDS 2.0 files for the exchange tests (names from Faker in several scripts)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable

from palermo.exchange.htcds import COLUMNS
from tests.names import synthetic_name


def good_row(**overrides: str) -> dict[str, str]:
    given, family = synthetic_name()
    row = {
        "prs_FirstName": given,
        "prs_SecondName": family,
        "prs_Birthdate": "1990-04-02",
        "prs_Gender": "Feminine",
        "prs_Citizenship": "ALB;SRB",
        "prs_PrimaryLanguage": "sqi",
        "vic_AgreementToManagePersonalData": "true",
        "vic_TypeOfExploitation": "ForcedLabour;SexualExploitation",
    }
    row.update(overrides)
    return row


def htcds_text(rows: Iterable[dict[str, str]], columns: Iterable[str] = COLUMNS) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(columns), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()
