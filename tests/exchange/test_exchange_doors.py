"""The exchange's page and API: upload an HTCDS file, follow the background import to its result (the count
opened, or every bad row and nothing written), the downloads, and 404 for every role without the right."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from palermo.accounts.models import User
from palermo.accounts.roles import Role
from palermo.audit.models import AuditEvent
from palermo.cases.models import Case
from palermo.core.crypto import FORMAT_VERSION
from palermo.exchange.ctdc import COLUMNS as CTDC_COLUMNS
from palermo.exchange.jobs import import_job_execute
from palermo.exchange.models import ImportJob, JobStatus
from palermo.exchange.services import htcds_unseal
from tests.cases.referrals import open_case
from tests.exchange.htcds_files import good_row, htcds_text
from tests.worker import run_worker


def _run_queued() -> None:
    """What the worker does with each queued job (the real worker needs a committed database: see the
    page journey, which runs it)."""
    for job in ImportJob.objects.filter(status=JobStatus.QUEUED):
        import_job_execute(job.pk)


pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


def _file(text: str, name: str = "cases.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, text.encode("utf-8"), content_type="text/csv")


def _mixed() -> str:
    return htcds_text(
        [
            good_row(),
            good_row(prs_Birthdate="02/04/1990"),
            good_row(),
            good_row(vic_TypeOfExploitation="Smuggling"),
        ]
    )


def _agency(authority: User) -> int:
    return authority.membership.agency.pk  # type: ignore[attr-defined]


@pytest.mark.django_db(transaction=True)
def test_page_upload_progress_then_done(
    responder: User, authority: User, client_for: Any, django_capture_on_commit_callbacks: Any
) -> None:
    client = client_for(responder)
    page = client.get(reverse("exchange:exchange"))
    assert page.status_code == 200 and 'enctype="multipart/form-data"' in page.content.decode()
    before = Case.objects.count()

    with django_capture_on_commit_callbacks(execute=True):
        sent = client.post(
            reverse("exchange:exchange"),
            {
                "file": _file(htcds_text([good_row(), good_row()])),
                "identification_agency": _agency(authority),
            },
        )
    job = ImportJob.objects.get()
    assert sent.status_code == 302 and sent["Location"] == reverse("exchange:job", args=[job.pk])
    assert "<progress" in client.get(reverse("exchange:job", args=[job.pk])).content.decode()
    waiting = client.get(reverse("exchange:job", args=[job.pk]), **HTMX).content.decode()
    assert waiting.count("<progress") == 1 and 'hx-trigger="every 1s"' in waiting
    assert "<script" not in waiting and "style=" not in waiting and "<html" not in waiting

    run_worker()

    done = client.get(reverse("exchange:job", args=[job.pk]), **HTMX)
    body = done.content.decode()
    assert done.status_code == 200 and "hx-trigger" not in body and 'value="100"' in body
    assert "2 cases opened" in body
    assert Case.objects.count() == before + 2
    job.refresh_from_db()
    assert job.status == JobStatus.DONE and job.written == 2 and job.sealed_file is None
    assert AuditEvent.objects.filter(action="exchange.htcds_import", reason__contains="written=2").exists()


def test_page_mixed_file_lists_every_bad_row_and_writes_nothing(
    responder: User, authority: User, client_for: Any, django_capture_on_commit_callbacks: Any
) -> None:
    client = client_for(responder)
    before = Case.objects.count()
    with django_capture_on_commit_callbacks(execute=False):
        client.post(
            reverse("exchange:exchange"),
            {"file": _file(_mixed()), "identification_agency": _agency(authority)},
        )
    _run_queued()

    job = ImportJob.objects.get()
    body = client.get(reverse("exchange:job", args=[job.pk])).content.decode()
    assert "Nothing was imported: 2 bad rows" in body
    assert '<th scope="row">3</th>' in body and '<th scope="row">5</th>' in body
    assert "prs_Birthdate" in body and "Smuggling" in body
    assert Case.objects.count() == before
    assert job.status == "refused" and bytes(job.sealed_report or b"")[:1] == bytes((FORMAT_VERSION,))


def test_page_refuses_an_unreadable_file_with_the_error_summary(
    responder: User, authority: User, client_for: Any
) -> None:
    client = client_for(responder)
    sent = client.post(
        reverse("exchange:exchange"),
        {
            "file": SimpleUploadedFile("x.csv", b"\xff\xfe\x00bad"),
            "identification_agency": _agency(authority),
        },
    )
    assert sent.status_code == 400 and "neither UTF-8 CSV" in sent.content.decode()
    assert not ImportJob.objects.exists()


@pytest.mark.parametrize(
    "role",
    [
        Role.MIGRATION_OFFICER,
        Role.INVESTIGATOR,
        Role.PROTECTION_OFFICER,
        Role.GUARDIAN,
        Role.SERVICE_PROVIDER,
        Role.DATA_PROTECTION_OFFICER,
        Role.SYSTEM_ADMINISTRATOR,
        Role.AGENCY_ADMINISTRATOR,
    ],
)
def test_roles_without_an_exchange_get_404(role: Role, make_member: Any, client_for: Any) -> None:
    client = client_for(make_member(role))
    assert client.get(reverse("exchange:exchange")).status_code == 404
    assert client.get(reverse("exchange:download", args=["ctdc"])).status_code == 404
    answer = client.get(reverse("api-exchange-export", args=["ctdc"]))
    assert answer.status_code == 404 and answer.json()["error"]["code"] == "not_found"
    assert client.post(reverse("api-exchange-imports")).status_code == 404


def test_each_role_reaches_only_its_part(
    rapporteur: User, manager: User, responder: User, authority: User, client_for: Any
) -> None:
    open_case(responder, authority.membership.agency)  # type: ignore[attr-defined]
    reader = client_for(rapporteur)
    page = reader.get(reverse("exchange:exchange")).content.decode()
    assert 'type="file"' not in page and reverse("statistics:eurostat") in page
    assert reader.post(reverse("exchange:exchange"), {}).status_code == 404
    assert reader.get(reverse("exchange:download", args=["htcds"])).status_code == 404
    assert reader.get(reverse("exchange:download", args=["nonsense"])).status_code == 404
    ctdc = reader.get(reverse("exchange:download", args=["ctdc"]))
    assert ctdc.status_code == 200 and ctdc["Content-Disposition"].startswith("attachment")
    assert tuple(next(csv.reader(io.StringIO(ctdc.content.decode())))) == CTDC_COLUMNS

    sealed = client_for(authority).get(reverse("exchange:download", args=["htcds"]))
    assert sealed.status_code == 200 and sealed.content[:1] == bytes((FORMAT_VERSION,))
    assert htcds_unseal(sealed.content).startswith("prs_FirstName,")
    assert client_for(responder).get(reverse("exchange:download", args=["htcds"])).status_code == 404
    assert AuditEvent.objects.filter(action="exchange.htcds_export").count() == 1
    assert AuditEvent.objects.filter(action="exchange.ctdc_export").count() == 1


def test_a_job_is_its_starters_only(
    responder: User, manager: User, authority: User, client_for: Any, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=False):
        client_for(responder).post(
            reverse("exchange:exchange"),
            {"file": _file(htcds_text([good_row()])), "identification_agency": _agency(authority)},
        )
    job = ImportJob.objects.get()
    other = client_for(manager)
    assert other.get(reverse("exchange:job", args=[job.pk])).status_code == 404
    assert other.get(reverse("api-exchange-import", args=[job.pk])).status_code == 404


def test_api_upload_job_progress_then_done(
    responder: User, authority: User, client_for: Any, django_capture_on_commit_callbacks: Any
) -> None:
    client = client_for(responder)
    with django_capture_on_commit_callbacks(execute=False):
        started = client.post(
            reverse("api-exchange-imports"),
            {
                "file": _file(htcds_text([good_row(), good_row(), good_row()])),
                "identification_agency": _agency(authority),
            },
        )
    assert started.status_code == 202, started.content
    job = started.json()
    assert job["status"] == "queued" and job["percent"] is None

    _run_queued()

    done = client.get(reverse("api-exchange-import", args=[job["id"]])).json()
    assert done["status"] == "done" and done["written"] == 3 and done["percent"] == 100
    assert done["bad_rows"] == []


def test_api_mixed_file_reports_and_writes_nothing(
    responder: User, authority: User, client_for: Any, django_capture_on_commit_callbacks: Any
) -> None:
    client = client_for(responder)
    before = Case.objects.count()
    with django_capture_on_commit_callbacks(execute=False):
        started = client.post(
            reverse("api-exchange-imports"),
            {"file": _file(_mixed()), "identification_agency": _agency(authority)},
        )
    _run_queued()

    job = client.get(reverse("api-exchange-import", args=[started.json()["id"]])).json()
    assert job["status"] == "refused" and job["written"] == 0 and job["bad_count"] == 2
    assert [row["line"] for row in job["bad_rows"]] == [3, 5]
    assert Case.objects.count() == before


def test_api_bad_input_in_the_one_error_shape(responder: User, client_for: Any) -> None:
    answer = client_for(responder).post(reverse("api-exchange-imports"), {})
    assert answer.status_code == 400
    body = answer.json()["error"]
    assert body["code"] == "invalid" and {"file", "identification_agency"} <= set(body["fields"])


def test_api_downloads(rapporteur: User, authority: User, client_for: Any) -> None:
    ctdc = client_for(rapporteur).get(reverse("api-exchange-export", args=["ctdc"]))
    assert ctdc.status_code == 200 and ctdc["Content-Type"].startswith("text/csv")
    sealed = client_for(authority).get(reverse("api-exchange-export", args=["htcds"]))
    assert sealed.status_code == 200 and sealed["Content-Type"] == "application/octet-stream"
    assert client_for(rapporteur).get(reverse("api-exchange-export", args=["htcds"])).status_code == 404


def test_eurostat_page_and_api(rapporteur: User, manager: User, client_for: Any) -> None:
    client = client_for(rapporteur)
    assert client.get(reverse("statistics:eurostat")).status_code == 200
    sent = client.post(reverse("statistics:eurostat"), {"year": "2025"})
    assert (
        sent.status_code == 200
        and sent["Content-Disposition"] == 'attachment; filename="eurostat-thb-2025.csv"'
    )
    assert sent.content.decode().startswith("indic,year,sex,age,citizen,exploit,value,flag")
    assert client.post(reverse("statistics:eurostat"), {"year": "x"}).status_code == 400
    answer = client.post(reverse("api-statistics-eurostat"), {"year": 2025}, content_type="application/json")
    assert answer.status_code == 201 and answer.json()["codes_verified"] is False
    assert client_for(manager).get(reverse("statistics:eurostat")).status_code == 404
    assert client_for(manager).post(reverse("api-statistics-eurostat"), {}).status_code == 404
