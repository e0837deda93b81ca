"""Imports and exports in HTCDS 2.0 (docs/decisions/0049).

An import reads the whole file first: every bad row is reported with its line and reason, and nothing is
written while one remains. A clean file is then written in one transaction, each row through the intake
service (`intake_submit`: the case, the person, the team, the timeline, the audit), so a failure or a process
killed part-way leaves nothing written. `progress(done, total)` is called after each row.

A row-level export holds personal data (T2 identity): only a case-working role that may export it (the matrix
in `palermo.exchange.roles`) exports, only the cases it may read at T2, and every export is on the audit
record with its count.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from palermo.access.selectors import cases_readable_at
from palermo.access.tiers import Tier
from palermo.accounts.models import Agency, Membership, User
from palermo.cases.models import ConsentGiver
from palermo.cases.services.exploitation_period import case_exploitation_period_set
from palermo.cases.services.intake import Referral, intake_submit
from palermo.core.crypto import FORMAT_VERSION, decrypt, encrypt
from palermo.core.lists import listed
from palermo.exchange.htcds import COLUMNS, ImportRow, case_rows, read_row
from palermo.exchange.roles import exchange_recorded, export_recorded, may_export_rows, may_import

Progress = Callable[[int, int], None]
# What a sealed row-level export is bound to (AES-GCM associated data): it opens as nothing else.
SEALED_FOR = b"palermo.exchange.htcds"
IMPORT_NOTE = "Imported from an HTCDS 2.0 file."


@dataclass
class ImportReport:
    total: int = 0
    written: int = 0
    bad: list[tuple[int, str]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.bad


def read_file(text: str) -> tuple[list[ImportRow], list[tuple[int, str]]]:
    """The valid rows, and (line, reason) for each bad one. Line 1 is the header."""
    reader = csv.DictReader(io.StringIO(text))
    unknown = [name for name in reader.fieldnames or () if name not in COLUMNS]
    if not reader.fieldnames or "prs_FirstName" not in reader.fieldnames:
        return [], [(1, "the header has no prs_FirstName column")]
    good: list[ImportRow] = []
    bad: list[tuple[int, str]] = [(1, f"unknown column {name}") for name in unknown]
    for row in reader:
        line = reader.line_num
        try:
            good.append(read_row(line, row))
        except ValidationError as refused:
            bad.append((line, listed(refused.messages, phrases=True)))
    return good, bad


def _referral(row: ImportRow, agency: Agency) -> Referral:
    return Referral(
        given_names=row.given_names,
        family_names=row.family_names,
        identification_agency=agency,
        consent_given=row.consent,
        consent_given_by=ConsentGiver.PERSON if row.consent else "",
        consent_language=row.language,
        languages=[(row.language, False)] if row.language else [],
        birth_date=row.birth_date,
        gender=row.gender,
        citizenships=row.citizenships,
        exploitation_forms=row.forms,
        contact_channel="other",
        contact_details=IMPORT_NOTE,
    )


def _messages(refused: ValidationError) -> str:
    if hasattr(refused, "error_dict"):
        return listed((f"{name}: {' '.join(m)}" for name, m in refused.message_dict.items()), phrases=True)
    return listed(refused.messages, phrases=True)


def htcds_import(
    *,
    actor: User,
    membership: Membership,
    identification_agency: Agency,
    text: str,
    progress: Progress | None = None,
) -> ImportReport:
    """Open one case per row of an HTCDS file, all or nothing. Raises PermissionDenied (not an importing
    role). A report with bad rows means nothing was written. On the audit record either way
    (`exchange.htcds_import`, the counts), besides each case's own intake record."""
    if not may_import(membership) or membership.user_id != actor.pk:
        raise PermissionDenied("this role does not import")
    report = _import(actor, membership, identification_agency, text, progress)
    counts = f"htcds rows={report.total} written={report.written} bad={len(report.bad)}"
    exchange_recorded(actor, membership, "htcds_import", Tier.METADATA, counts)
    return report


def _import(
    actor: User, membership: Membership, identification_agency: Agency, text: str, progress: Progress | None
) -> ImportReport:
    rows, bad = read_file(text)
    report = ImportReport(total=len(rows) + len([b for b in bad if b[0] > 1]), bad=bad)
    if bad:
        return report
    try:
        with transaction.atomic():
            for done, row in enumerate(rows, start=1):
                try:
                    case = intake_submit(
                        actor=actor, membership=membership, referral=_referral(row, identification_agency)
                    )
                    if row.placed:
                        how = row.how()
                        case_exploitation_period_set(
                            actor=actor,
                            membership=membership,
                            case=case,
                            expected_version=case.version,
                            **how,
                        )
                except ValidationError as refused:
                    report.bad.append((row.line, _messages(refused)))
                if progress is not None:
                    progress(done, len(rows))
            if report.bad:
                raise _RollBack
    except _RollBack:
        return report
    report.written = len(rows)
    return report


class _RollBack(Exception):
    """Leaves the import's transaction without committing any row (the report holds the reasons)."""


def htcds_export(*, actor: User, membership: Membership) -> str:
    """Every case this membership may read at T2, one row per person, as HTCDS 2.0 CSV; audited."""
    if not may_export_rows(membership) or membership.user_id != actor.pk:
        raise PermissionDenied("this role does not export personal data")
    cases = cases_readable_at(membership, Tier.IDENTITY).prefetch_related(
        "persons__citizenships", "persons__languages", "exploitation_forms", "control_means"
    )
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    count = _write(writer, case_rows(cases.order_by("pk")))
    export_recorded(actor, membership, "htcds", Tier.IDENTITY, f"rows={count}")
    return out.getvalue()


def htcds_seal(text: str) -> bytes:
    """A row-level export encrypted under the installation's key ring (AES-256-GCM, architecture rule 4):
    the file is personal data at rest, readable only where the key ring is."""
    return encrypt(text.encode("utf-8"), associated_data=SEALED_FOR)


def htcds_unseal(data: bytes) -> str:
    """A file to import: a sealed export opened, or a plain UTF-8 CSV as it is. DecryptionError when it is
    neither."""
    if data[:1] == bytes((FORMAT_VERSION,)):
        return decrypt(data, associated_data=SEALED_FOR).decode("utf-8")
    return data.decode("utf-8-sig")


def _write(writer: csv.DictWriter[str], rows: Iterable[dict[str, str]]) -> int:
    count = 0
    for row in rows:
        writer.writerow(row)
        count += 1
    return count
