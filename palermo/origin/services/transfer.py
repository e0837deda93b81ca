"""Import and export of country information entries as CSV or JSON (docs/origin.md).

An import is all or nothing: every row is checked first, and one bad row refuses the whole file, with every
bad row reported by its line (CSV: the line of the file, the header being line 1; JSON: the position of the
object in the list, from 1) and the reason. A row that says exactly what an entry of the base (or an earlier
row) says is refused as a duplicate. The export writes the same columns and more (id, status, last review,
version, content hash, sample); an import reads the content columns and the last review (optional: an entry
from another base keeps the day it was last confirmed), and ignores the others.
"""

from __future__ import annotations

import csv
import datetime
import io
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from palermo.accounts.models import Membership, User
from palermo.audit.services import audit_record
from palermo.core.spreadsheets import defused, undefused
from palermo.origin.models import CountryEntry
from palermo.origin.services.common import require_editor, today
from palermo.origin.services.entries import (
    CONTENT_FIELDS,
    EntryData,
    clean_entry,
    content_hash,
    data_content,
    entry_create,
)

FORMATS = ("csv", "json")
MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 5000
EXPORT_FIELDS = ("id", *CONTENT_FIELDS, "status", "reviewed_on", "version", "content_hash", "is_sample")


@dataclass(frozen=True)
class RowProblem:
    line: int
    field: str
    reason: str


class ImportRefused(ValidationError):
    """A file refused as a whole; `problems` lists every bad row, and the error's fields name them as
    `rows.<line>.<field>` (the API's error contract shows them so)."""

    def __init__(self, problems: list[RowProblem]) -> None:
        self.problems = problems
        fields: dict[str, list[str]] = {}
        for problem in problems:
            fields.setdefault(f"rows.{problem.line}.{problem.field}", []).append(problem.reason)
        super().__init__(fields)


def _file_problem(reason: str) -> ImportRefused:
    return ImportRefused([RowProblem(0, "file", reason)])


def _csv_rows(text: str) -> Iterator[tuple[int, dict[str, Any]]]:
    reader = csv.DictReader(io.StringIO(text, newline=""))
    missing = [name for name in CONTENT_FIELDS if name not in (reader.fieldnames or [])]
    needed = [name for name in missing if name not in ("region", "source_link")]
    if needed:
        raise _file_problem(_("The header lacks the columns: %(names)s.") % {"names": ", ".join(needed)})
    for row in reader:
        if None in row:  # more cells than the header names
            raise _file_problem(
                _("Line %(line)d has more cells than the header.") % {"line": reader.line_num}
            )
        yield reader.line_num, {key: undefused(value or "") for key, value in row.items()}


def _json_rows(text: str) -> Iterator[tuple[int, dict[str, Any]]]:
    try:
        items = json.loads(text)
    except ValueError:
        raise _file_problem(_("The file is not valid JSON.")) from None
    if isinstance(items, dict):
        items = items.get("entries")
    if not isinstance(items, list):
        raise _file_problem(_("Give a list of entries (or an object whose `entries` is one)."))
    for number, item in enumerate(items, start=1):
        yield number, item if isinstance(item, dict) else {}


def _day(value: Any) -> datetime.date | None:
    if isinstance(value, datetime.date):
        return value
    try:
        return datetime.date.fromisoformat(str(value or "").strip())
    except ValueError:
        return None


def _data(values: dict[str, Any]) -> EntryData:
    text = {name: values.get(name) for name in CONTENT_FIELDS if name != "source_date"}
    fields = {name: value if isinstance(value, str) else "" for name, value in text.items()}
    return EntryData(**fields, source_date=_day(values.get("source_date")))


Parsed = list[tuple[int, EntryData, datetime.date | None, list[RowProblem]]]


def _reviewed(
    values: dict[str, Any], data: EntryData, line: int
) -> tuple[datetime.date | None, list[RowProblem]]:
    """The row's last review, if it gives one: a day between the source's date and today."""
    if not values.get("reviewed_on"):
        return None, []
    day = _day(values.get("reviewed_on"))
    if day is None or day > today() or (data.source_date is not None and day < data.source_date):
        reason = _("The last review is a date (YYYY-MM-DD) between the source's date and today.")
        return None, [RowProblem(line, "reviewed_on", reason)]
    return day, []


def parse(content: bytes, form: str) -> Parsed:
    """Each row of a file with its line, its values cleaned, its last review, and what is wrong with it."""
    if form not in FORMATS:
        raise _file_problem(_("Send CSV or JSON."))
    if len(content) > MAX_BYTES:
        raise _file_problem(_("The file is larger than 5 MB."))
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise _file_problem(_("The file is not UTF-8 text.")) from None
    rows = list((_csv_rows if form == "csv" else _json_rows)(text))
    if not rows:
        raise _file_problem(_("The file holds no entries."))
    if len(rows) > MAX_ROWS:
        raise _file_problem(_("At most %(rows)d entries in one file.") % {"rows": MAX_ROWS})
    parsed: Parsed = []
    for line, values in rows:
        data = _data(values)
        problems: list[RowProblem] = []
        try:
            data = clean_entry(data)
        except ValidationError as error:
            problems = [
                RowProblem(line, field, " ".join(messages)) for field, messages in error.message_dict.items()
            ]
        reviewed, late = _reviewed(values, data, line)
        parsed.append((line, data, reviewed, problems + late))
    return parsed


def _duplicates(parsed: Parsed) -> list[RowProblem]:
    hashes = {line: content_hash(data_content(data)) for line, data, _day, problems in parsed if not problems}
    known = dict(
        CountryEntry.objects.filter(content_hash__in=set(hashes.values())).values_list("content_hash", "pk")
    )
    seen: dict[str, int] = {}
    problems = []
    for line, digest in hashes.items():
        if digest in known:
            reason = _("The base already holds this entry (number %(id)d).") % {"id": known[digest]}
            problems.append(RowProblem(line, "row", reason))
        elif digest in seen:
            reason = _("The same entry as line %(line)d.") % {"line": seen[digest]}
            problems.append(RowProblem(line, "row", reason))
        seen.setdefault(digest, line)
    return problems


def entries_import(
    *, actor: User | None, membership: Membership | None, content: bytes, form: str, is_sample: bool = False
) -> list[CountryEntry]:
    """Add every entry of the file, or none: ImportRefused lists every bad row. `actor` and `membership`
    None are the system (the `origin_import` command)."""
    if membership is not None:
        require_editor(membership)
    parsed = parse(content, form)
    problems = [problem for *_row, found in parsed for problem in found] + _duplicates(parsed)
    if problems:
        raise ImportRefused(sorted(problems, key=lambda problem: (problem.line, problem.field)))
    with transaction.atomic():
        created = [
            entry_create(
                actor=actor,
                membership=None,
                data=data,
                is_sample=is_sample,
                audited=False,
                reviewed_on=reviewed,
            )
            for _line, data, reviewed, _found in parsed
        ]
        audit_record(
            actor=actor,
            membership=membership,
            action="origin.entries_import",
            tier=0,
            object_type="country_entry",
            reason=f"{len(created)} entries from {form}",
        )
    return created


def _export_row(entry: CountryEntry) -> dict[str, Any]:
    row = {name: getattr(entry, name) for name in EXPORT_FIELDS}
    row["source_date"] = entry.source_date.isoformat()
    row["reviewed_on"] = entry.reviewed_on.isoformat()
    return row


def export_csv(found: Iterable[CountryEntry]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=EXPORT_FIELDS, lineterminator="\n")
    writer.writeheader()
    for entry in found:
        writer.writerow({name: defused(value) for name, value in _export_row(entry).items()})
    return out.getvalue()


def export_json(found: Iterable[CountryEntry]) -> str:
    return json.dumps({"entries": [_export_row(entry) for entry in found]}, ensure_ascii=False, indent=1)
