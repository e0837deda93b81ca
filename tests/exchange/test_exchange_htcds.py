"""HTCDS 2.0 export and import: checked against the standard's own file, all or nothing, audited."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import CommandError, call_command

from palermo.accounts.models import User
from palermo.audit.models import AuditEvent
from palermo.cases.models import Case, CaseExploitation, Person, PersonCitizenship
from palermo.cases.reference import ExploitationForm
from palermo.cases.services.exploitation_period import case_exploitation_period_set
from palermo.core.htcds import HTCDS_FILE, htcds_fields
from palermo.exchange.htcds import COLUMNS, row_problems
from palermo.exchange.services import htcds_export, htcds_import
from tests.cases.referrals import open_case
from tests.exchange.htcds_files import good_row, htcds_text

SHARED = Path("/work/shared/domain/htcds/HTCDS-Field-Standards-2.0.csv")
pytestmark = pytest.mark.django_db


def test_the_packaged_standard_is_the_published_file() -> None:
    if not SHARED.exists():
        pytest.skip("the published file is not on this machine")
    assert HTCDS_FILE.read_bytes() == SHARED.read_bytes()


def test_every_column_and_picklist_value_is_the_standards() -> None:
    fields = htcds_fields()
    assert set(COLUMNS) <= set(fields)
    assert "ForcedLabour" in fields["vic_TypeOfExploitation"].values
    assert fields["vic_TypeOfExploitation"].multiple
    # Palermo's forms the standard knows are spelled as it spells them.
    assert {f.value for f in ExploitationForm} - fields["vic_TypeOfExploitation"].values == {
        "ForcedCriminality"
    }


def _import(responder: User, authority: User, text: str):  # type: ignore[no-untyped-def]
    return htcds_import(
        actor=responder,
        membership=responder.membership,  # type: ignore[attr-defined]
        identification_agency=authority.membership.agency,  # type: ignore[attr-defined]
        text=text,
    )


def test_export_validates_and_reimports_to_the_same_counts(
    responder: User, authority: User, first_responder: User
) -> None:
    agency = authority.membership.agency  # type: ignore[attr-defined]
    placed = open_case(responder, agency)
    case_exploitation_period_set(
        actor=responder, membership=responder.membership, case=placed, began=None, ended=None,  # type: ignore[attr-defined]
        sector="F_Construction", means_of_control=["DebtBondage", "TakesEarnings"],
        recruiter_relationship="Familial", expected_version=placed.version,
    )  # fmt: skip
    open_case(
        responder, agency, exploitation_forms=[ExploitationForm.SEXUAL_EXPLOITATION], citizenships=["ROU"]
    )
    open_case(responder, agency, exploitation_forms=[ExploitationForm.FORCED_CRIMINALITY], citizenships=[])
    before = (Case.objects.count(), Person.objects.count(), PersonCitizenship.objects.count())
    forms_before = CaseExploitation.objects.count()

    text = htcds_export(actor=authority, membership=authority.membership)  # type: ignore[attr-defined]

    rows = list(csv.DictReader(io.StringIO(text)))
    assert len(rows) == 3
    assert all(row_problems(row) == [] for row in rows)
    assert {row["vic_TypeOfExploitation"] for row in rows} >= {"Other", "SexualExploitation"}
    assert AuditEvent.objects.filter(action="exchange.htcds_export", reason="htcds rows=3").exists()

    report = _import(first_responder, authority, text)

    assert report.ok and report.written == 3
    after = (Case.objects.count(), Person.objects.count(), PersonCitizenship.objects.count())
    assert after == tuple(2 * n for n in before)
    assert CaseExploitation.objects.count() == 2 * forms_before
    assert Case.objects.filter(exploitation_sector="F_Construction").count() == 2
    assert Case.objects.filter(recruiter_relationship="Familial").count() == 2
    recorded = Case.objects.filter(control_means__isnull=False).distinct().prefetch_related("control_means")
    assert [c.means_of_control for c in recorded] == [["DebtBondage", "TakesEarnings"]] * 2


def test_bad_rows_are_all_reported_and_nothing_is_written(responder: User, authority: User) -> None:
    text = htcds_text(
        [
            good_row(),
            good_row(prs_Gender="Woman"),
            good_row(),
            good_row(prs_Birthdate="02/04/1990", vic_TypeOfExploitation="Slavery"),
            good_row(prs_Citizenship="XXX"),
            good_row(prs_FirstName=""),
        ]
    )

    report = _import(responder, authority, text)

    assert not report.ok and report.written == 0
    assert [line for line, _ in report.bad] == [3, 5, 6, 7]
    reasons = dict(report.bad)
    assert "prs_Gender: Woman is not a value of the standard" in reasons[3]
    assert "Slavery" in reasons[5]
    assert "XXX" in reasons[6]
    assert "prs_FirstName is required" in reasons[7]
    assert Case.objects.count() == 0


def test_a_row_the_intake_refuses_rolls_back_the_rows_before_it(responder: User, authority: User) -> None:
    """An adult without agreement passes the standard's checks but not the intake's: found while writing,
    it undoes the rows already written."""
    text = htcds_text([good_row(), good_row(), good_row(vic_AgreementToManagePersonalData="false")])

    report = _import(responder, authority, text)

    assert [line for line, _ in report.bad] == [4]
    assert "consent" in report.bad[0][1]
    assert (Case.objects.count(), Person.objects.count(), report.written) == (0, 0, 0)


def test_unknown_columns_are_refused(responder: User, authority: User) -> None:
    text = htcds_text([{**good_row(), "prs_ShoeSize": "42"}], [*COLUMNS, "prs_ShoeSize"])

    report = _import(responder, authority, text)

    assert report.bad[0] == (1, "unknown column prs_ShoeSize")
    assert Case.objects.count() == 0


def test_who_imports_and_exports(rapporteur: User, service_provider: User, authority: User) -> None:
    with pytest.raises(PermissionDenied):
        htcds_export(actor=rapporteur, membership=rapporteur.membership)  # type: ignore[attr-defined]
    with pytest.raises(PermissionDenied):
        _import(service_provider, authority, htcds_text([good_row()]))
    with pytest.raises(PermissionDenied):
        _import(rapporteur, authority, htcds_text([good_row()]))


def test_progress_is_reported_row_by_row(responder: User, authority: User) -> None:
    seen: list[tuple[int, int]] = []
    htcds_import(
        actor=responder,
        membership=responder.membership,  # type: ignore[attr-defined]
        identification_agency=authority.membership.agency,  # type: ignore[attr-defined]
        text=htcds_text([good_row() for _ in range(3)]),
        progress=lambda done, total: seen.append((done, total)),
    )
    assert seen == [(1, 3), (2, 3), (3, 3)]


def test_the_commands_seal_the_row_level_export_and_import_it_back(
    responder: User, authority: User, first_responder: User, tmp_path: Path
) -> None:
    agency = authority.membership.agency  # type: ignore[attr-defined]
    open_case(responder, agency)
    open_case(responder, agency)
    name = Person.objects.first().given_names  # type: ignore[union-attr]
    sealed = tmp_path / "export.htcds"

    call_command("exchange_export", "htcds", membership=authority.membership.pk, output=sealed)  # type: ignore[attr-defined]

    data = sealed.read_bytes()
    assert name.encode() not in data and b"prs_FirstName" not in data
    assert sealed.stat().st_mode & 0o077 == 0
    errors = io.StringIO()
    call_command(
        "exchange_import",
        str(sealed),
        membership=first_responder.membership.pk,  # type: ignore[attr-defined]
        identification_agency=agency.pk,
        stderr=errors,
        stdout=io.StringIO(),
    )
    assert Case.objects.count() == 4
    assert "2/2" in errors.getvalue()  # the progress bar


def test_the_import_command_prints_every_bad_row(responder: User, authority: User, tmp_path: Path) -> None:
    source = tmp_path / "bad.csv"
    source.write_text(htcds_text([good_row(), good_row(prs_Gender="Woman")]), encoding="utf-8")
    errors = io.StringIO()

    with pytest.raises(CommandError, match="nothing was imported"):
        call_command(
            "exchange_import",
            str(source),
            membership=responder.membership.pk,  # type: ignore[attr-defined]
            identification_agency=authority.membership.agency.pk,  # type: ignore[attr-defined]
            stderr=errors,
        )
    assert "line 3: prs_Gender: Woman is not a value of the standard" in errors.getvalue()
    assert Case.objects.count() == 0
