"""The export for Eurostat's trafficking data collection: registered victims of one year by sex and age
group, citizenship and form, from a recorded release under the statistics area's disclosure control."""

from __future__ import annotations

import csv
import datetime
import io

import pytest
from django.core.management import CommandError, call_command

from palermo.accounts.models import User
from palermo.statistics.eurostat import COLUMNS, as_csv, eurostat_release, eurostat_rows
from palermo.statistics.models import Release
from tests.statistics.statistics_data import YEARS, populate
from tests.statistics.test_statistics_measures import _decide

pytestmark = pytest.mark.django_db


def test_registered_victims_of_a_year_with_small_cells_withheld(rapporteur: User) -> None:
    cases = populate(60)
    _decide(cases, [3] * len(cases))
    year = max(YEARS)

    release = eurostat_release(
        actor=rapporteur,
        membership=rapporteur.membership,  # type: ignore[attr-defined]
        year=year,
        snapshot=datetime.date.today() + datetime.timedelta(days=30),  # noqa: DTZ011
    )

    rows = list(csv.DictReader(io.StringIO(as_csv(eurostat_rows(release.cells, year)))))
    assert Release.objects.count() == 1
    assert tuple(rows[0]) == COLUMNS
    assert {row["indic"] for row in rows} == {"VCT_SEX_AGE", "VCT_CIT", "VCT_EXP"}
    assert {row["year"] for row in rows} == {str(year)}
    for row in rows:
        assert (row["value"] == "") == (row["flag"] == "c")
        assert row["value"] == "" or int(row["value"]) == 0 or int(row["value"]) >= 11
    total = [r for r in rows if r["indic"] == "VCT_SEX_AGE" and r["sex"] == "TOTAL" and r["age"] == "TOTAL"]
    assert len(total) == 1
    assert {r["age"] for r in rows} <= {"TOTAL", "Y_LT18", "Y_GE18"}


def test_the_command_is_the_rapporteurs(
    rapporteur: User, manager: User, capsys: pytest.CaptureFixture[str]
) -> None:
    populate(20)

    call_command("statistics_eurostat", str(max(YEARS)), membership=rapporteur.membership.pk)  # type: ignore[attr-defined]

    assert capsys.readouterr().out.startswith(",".join(COLUMNS))
    with pytest.raises(CommandError):
        call_command("statistics_eurostat", "2025", membership=manager.membership.pk)  # type: ignore[attr-defined]
    assert Release.objects.count() == 1
