"""Import and export of entries: all or nothing, every bad row reported with its line and reason (service,
page and API), and an export that imports back into an empty base."""

from __future__ import annotations

import csv
import io
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from palermo.origin.models import CountryEntry
from palermo.origin.services.transfer import ImportRefused, entries_import, export_csv, export_json
from tests.api.errors import api_error
from tests.origin.conftest import add_entry

pytestmark = pytest.mark.django_db

HEADER = "country,region,topic,source_title,source_publisher,source_date,source_link,summary,reliability\n"
GOOD = "NGA,NG-ED,risk_on_return,Report A,Institute,2025-01-02,https://example.org/a,Debts remain.,Study.\n"
GOOD_2 = "ALB,,stigma,Report B,Network,2024-06-30,,Families may reject returnees.,NGO interviews.\n"
# After GOOD and GOOD_2 (lines 2-3): line 4, an unknown topic; line 5, a date in no format and an empty
# summary; line 6, a region of another country.
BAD = (
    "NGA,,weather,Report C,Institute,2025-01-02,,Text.,Note.\n"
    "NGA,,stigma,Report D,Institute,02/01/2025,,,Note.\n"
    "NGA,AL-01,stigma,Report E,Institute,2025-01-02,,Text.,Note.\n"
)


def _import(user, text, form="csv"):
    return entries_import(actor=user, membership=user.membership, content=text.encode(), form=form)


def test_mixed_good_and_bad_rows_import_nothing_and_report_every_bad_row(editor):
    with pytest.raises(ImportRefused) as refused:
        _import(editor, HEADER + GOOD + GOOD_2 + BAD)
    found = {(problem.line, problem.field) for problem in refused.value.problems}
    assert found == {(4, "topic"), (5, "source_date"), (5, "summary"), (6, "region")}
    assert not CountryEntry.objects.exists()


def test_a_good_file_imports_every_row_and_duplicates_are_refused(editor):
    created = _import(editor, HEADER + GOOD + GOOD_2)
    assert len(created) == 2 and all(entry.revisions.count() == 1 for entry in created)
    with pytest.raises(ImportRefused) as refused:
        _import(
            editor,
            HEADER
            + GOOD
            + GOOD_2
            + GOOD_2.replace("Report B", "Report C")
            + GOOD_2.replace("Report B", "Report C"),
        )
    lines = [(problem.line, problem.field) for problem in refused.value.problems]
    assert lines == [(2, "row"), (3, "row"), (5, "row")]


def test_json_rows_are_numbered_by_position(editor):
    rows = [
        dict(zip(HEADER.strip().split(","), next(csv.reader([line])), strict=True))
        for line in (GOOD, BAD.splitlines()[0])
    ]
    with pytest.raises(ImportRefused) as refused:
        _import(editor, json.dumps(rows), "json")
    assert [(problem.line, problem.field) for problem in refused.value.problems] == [(2, "topic")]
    assert len(_import(editor, json.dumps({"entries": rows[:1]}), "json")) == 1


@pytest.mark.parametrize(
    ("content", "form"),
    [("", "csv"), ("country\nNGA\n", "csv"), ("{not json", "json"), ('{"x": 1}', "json"), ("\xff", "csv")],
)
def test_broken_files_are_refused_as_a_whole(editor, content, form):
    with pytest.raises(ImportRefused) as refused:
        _import(editor, content, form)
    assert refused.value.problems[0].field == "file"


def test_export_defuses_formulas_and_imports_back(editor, reader):
    add_entry(editor, summary="=HYPERLINK(1) is not run")
    exported = export_csv(CountryEntry.objects.all())
    assert "'=HYPERLINK" in exported
    assert json.loads(export_json(CountryEntry.objects.all()))["entries"][0]["summary"].startswith("=")
    CountryEntry.objects.all().delete()
    (entry,) = _import(editor, exported)
    assert entry.summary.startswith("=HYPERLINK")


def test_import_page_lists_the_bad_rows_and_the_api_names_them(editor, reader, client_for):
    client = client_for(editor)
    upload = SimpleUploadedFile("entries.csv", (HEADER + GOOD + BAD).encode(), "text/csv")
    page = client.post(reverse("origin:import"), {"file": upload})
    assert page.status_code == 400
    text = page.content.decode()
    assert (
        "Nothing was imported" in text
        and '<th scope="row">3</th>' in text
        and '<th scope="row">5</th>' in text
    )
    upload = SimpleUploadedFile("entries.csv", (HEADER + GOOD + BAD).encode(), "text/csv")
    error = api_error(client.post(reverse("api-origin-import"), {"file": upload}), 400, "invalid")
    assert {"rows.3.topic", "rows.4.source_date", "rows.4.summary", "rows.5.region"} == set(error["fields"])
    upload = SimpleUploadedFile("entries.csv", (HEADER + GOOD).encode(), "text/csv")
    assert client.post(reverse("api-origin-import"), {"file": upload}).json()["created"] == 1
    upload = SimpleUploadedFile("more.csv", (HEADER + GOOD_2).encode(), "text/csv")
    done = client.post(reverse("origin:import"), {"file": upload}, follow=True)
    assert "1 entries imported" in done.content.decode()
    upload = SimpleUploadedFile("entries.csv", (HEADER + GOOD).encode(), "text/csv")
    assert client_for(reader).post(reverse("origin:import"), {"file": upload}).status_code == 404
    exported = client_for(reader).get(reverse("api-origin-export"), {"format": "json", "country": "ALB"})
    assert exported.status_code == 200 and len(json.loads(exported.content)["entries"]) == 1
    as_csv = client_for(reader).get(reverse("origin:export"))
    assert len(list(csv.DictReader(io.StringIO(as_csv.content.decode())))) == 2


def test_the_commands_import_all_or_nothing_and_export(tmp_path, capsys):
    from django.core.management import CommandError, call_command

    bad = tmp_path / "bad.csv"
    bad.write_text(HEADER + GOOD + BAD)
    with pytest.raises(CommandError) as refused:
        call_command("origin_import", str(bad))
    assert refused.value.returncode == 2 and not CountryEntry.objects.exists()
    assert "line 3: topic" in capsys.readouterr().err
    good = tmp_path / "good.csv"
    good.write_text(HEADER + GOOD + GOOD_2)
    call_command("origin_import", str(good))
    assert CountryEntry.objects.filter(created_by__isnull=True).count() == 2
    out = tmp_path / "out.json"
    call_command("origin_export", "--format", "json", "--country", "alb", "--output", str(out))
    assert [row["country"] for row in json.loads(out.read_text())["entries"]] == ["ALB"]
