"""A published table as CSV or XLSX: exactly the cells shown on the page, withheld ones marked, never more."""

from __future__ import annotations

import csv
import io

from django.utils.translation import gettext as _
from openpyxl import Workbook

from palermo.statistics.publication import PublishedTable


def _rows(table: PublishedTable) -> list[list[object]]:
    withheld = _("withheld")
    rows: list[list[object]] = [[str(table.dimension_label), _("Persons")]]
    rows += [[row.label, withheld if row.withheld else row.count] for row in table.rows]
    rows.append([_("All persons"), withheld if table.total is None else table.total])
    return rows


def as_csv(table: PublishedTable) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([str(table.title)])
    writer.writerows(_rows(table))
    return out.getvalue().encode("utf-8-sig")  # the mark lets spreadsheet programs read UTF-8


def as_xlsx(table: PublishedTable) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = table.key[:31]
    sheet.append([str(table.title)])
    for row in _rows(table):
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
