"""The origin pages and API: every staff role reads, only the roles the matrix names write (others: 404 as
missing), each action is confirmed, refusals follow the error contract, stale edits are refused (409 / a form
error), and the lists read in constant queries."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from palermo.accounts.roles import Role
from palermo.origin.models import CountryEntry, EntryStatus, Partner
from tests.api.errors import api_error
from tests.origin.conftest import add_entry, add_partner
from tests.queries import Queries, assert_same_queries

pytestmark = pytest.mark.django_db

FORM = {
    "country": "NGA",
    "region": "",
    "topic": "stigma",
    "source_title": "Synthetic survey",
    "source_publisher": "Example Observatory",
    "source_date": "2025-02-01",
    "source_link": "",
    "summary": "Returnees report stigma in home communities.",
    "reliability": "Small sample; consistent with NGO reports.",
}


@pytest.mark.parametrize("role", list(Role))
def test_every_staff_role_reads_the_base(role, make_member, editor, client_for):
    entry = add_entry(editor)
    partner = add_partner(editor)
    client = client_for(make_member(role))
    assert client.get(reverse("origin:entries")).status_code == 200
    assert client.get(reverse("origin:entry", args=[entry.pk])).status_code == 200
    assert client.get(reverse("origin:partner", args=[partner.pk])).status_code == 200
    assert client.get(reverse("api-origin-entries")).json()["count"] == 1


def test_an_editor_adds_changes_reviews_and_retires_an_entry_through_the_pages(editor, client_for):
    client = client_for(editor)
    pdf = SimpleUploadedFile("report.pdf", b"%PDF-1.4 synthetic", "application/pdf")
    response = client.post(reverse("origin:entry_new"), {**FORM, "source_file": pdf})
    assert response.status_code == 302
    entry = CountryEntry.objects.get()
    page = client.get(response["Location"]).content.decode()
    assert "Entry added to the country information" in page and "report.pdf" in page
    download = client.get(reverse("origin:entry_file", args=[entry.pk]))
    assert download.content.startswith(b"%PDF") and download["Content-Type"] == "application/pdf"
    edit = reverse("origin:entry_edit", args=[entry.pk])
    assert client.post(edit, {**FORM, "summary": "Changed.", "version": 1}, follow=True).status_code == 200
    stale = client.post(edit, {**FORM, "summary": "Again.", "version": 1})
    assert stale.status_code == 400 and "changed after you opened it" in stale.content.decode()
    reviewed = client.post(reverse("origin:entry_review", args=[entry.pk]), {"version": 2}, follow=True)
    assert "Entry reviewed" in reviewed.content.decode()
    retired = client.post(reverse("origin:entry_out_of_date", args=[entry.pk]), {"version": 3}, follow=True)
    assert "Entry marked out of date" in retired.content.decode()
    entry.refresh_from_db()
    assert entry.status == EntryStatus.OUT_OF_DATE and entry.revisions.count() == 2


def test_a_bad_form_shows_its_errors_and_saves_nothing(editor, client_for):
    response = client_for(editor).post(
        reverse("origin:entry_new"), {**FORM, "region": "AL-01", "summary": ""}
    )
    assert response.status_code == 400
    text = response.content.decode()
    assert "There is a problem" in text and "Choose a region of the country chosen, or none." in text
    assert not CountryEntry.objects.exists()


def test_roles_the_matrix_does_not_name_cannot_write(reader, editor, client_for):
    entry = add_entry(editor)
    client = client_for(reader)
    page = client.get(reverse("origin:entry", args=[entry.pk])).content.decode()
    assert "Change the entry" not in page
    assert client.get(reverse("origin:entry_new")).status_code == 404
    assert client.post(reverse("origin:entry_review", args=[entry.pk]), {"version": 1}).status_code == 404
    assert client.get(reverse("origin:partner_new")).status_code == 404
    api_error(client.post(reverse("api-origin-entries"), {**FORM}, "application/json"), 404)
    api_error(
        client.post(
            reverse("api-origin-entry-review", args=[entry.pk]), {"expected_version": 1}, "application/json"
        ),
        404,
    )


def test_the_entry_api_adds_changes_and_refuses_by_the_error_contract(editor, client_for):
    client = client_for(editor)
    created = client.post(reverse("api-origin-entries"), FORM, "application/json")
    assert created.status_code == 201 and created.json()["revisions"][0]["number"] == 1
    entry_id = created.json()["id"]
    error = api_error(
        client.post(reverse("api-origin-entries"), {**FORM, "topic": "x"}, "application/json"), 400
    )
    assert "topic" in error["fields"]
    error = api_error(
        client.post(reverse("api-origin-entries"), {**FORM, "country": "ZZZ"}, "application/json"), 400
    )
    assert "country" in error["fields"]
    url = reverse("api-origin-entry", args=[entry_id])
    changed = client.put(url, {**FORM, "summary": "Changed.", "expected_version": 1}, "application/json")
    assert changed.status_code == 200 and len(changed.json()["revisions"]) == 2
    stale = api_error(client.put(url, {**FORM, "expected_version": 1}, "application/json"), 409, "stale")
    assert stale["current"]["version"] == 2
    review = client.post(
        reverse("api-origin-entry-review", args=[entry_id]), {"expected_version": 2}, "application/json"
    )
    assert review.json()["version"] == 3
    done = client.post(
        reverse("api-origin-entry-out-of-date", args=[entry_id]), {"expected_version": 3}, "application/json"
    )
    assert done.json()["status"] == "out_of_date"
    upload = SimpleUploadedFile("notes.txt", b"Plain synthetic notes.", "text/plain")
    filed = client.post(
        reverse("api-origin-entry-file", args=[entry_id]), {"file": upload, "expected_version": 4}
    )
    assert filed.status_code == 200 and filed.json()["source_file"] == "notes.txt"
    assert client.get(reverse("api-origin-entry-file", args=[entry_id])).content == b"Plain synthetic notes."
    bad = SimpleUploadedFile("x.bin", b"\x7fELF\x00\x01", "application/octet-stream")
    api_error(
        client.post(reverse("api-origin-entry-file", args=[entry_id]), {"file": bad, "expected_version": 5}),
        400,
    )
    api_error(client.get(reverse("api-origin-entry", args=[entry_id + 100])), 404)


def test_search_filters_and_reads_in_constant_queries(editor, reader, client_for):
    client = client_for(reader)
    add_entry(editor)
    add_entry(editor, country="ALB", topic="stigma")
    assert client.get(reverse("api-origin-entries"), {"country": "alb"}).json()["count"] == 1
    assert (
        client.get(reverse("api-origin-entries"), {"topic": "stigma", "country": "NGA"}).json()["count"] == 0
    )
    # A filter the list does not know is refused, naming it: never answered with every entry.
    refused = api_error(client.get(reverse("api-origin-entries"), {"topic": "nonsense"}), 400)
    assert "topic" in refused["fields"]
    api_error(client.get(reverse("api-origin-entries"), {"country": "Albania"}), 400)
    api_error(client.get(reverse("api-origin-export"), {"status": "nonsense"}), 400)
    api_error(client.get(reverse("api-origin-partners"), {"language": "Albanian"}), 400)
    assert client.get(reverse("api-origin-partners"), {"language": "SQI"}).status_code == 200
    page = client.get(reverse("origin:entries"), {"country": "ALB"}).content.decode()
    assert "Albania" in page and "Nigeria" not in page.split("<tbody>")[1]
    # A region: of the country asked for, by its code in the API; by its name on the page.
    add_entry(editor, region="NG-ED", summary="In Edo alone.")
    edo = client.get(reverse("api-origin-entries"), {"country": "NGA", "region": "ng-ed"}).json()
    assert [entry["region"] for entry in edo["results"]] == ["NG-ED"]
    for elsewhere in ({"country": "ALB", "region": "NG-ED"}, {"region": "NG-ED"}):
        assert "region" in api_error(client.get(reverse("api-origin-entries"), elsewhere), 400)["fields"]
    page = client.get(reverse("origin:entries"), {"country": "NGA", "region": "NG-ED"}).content.decode()
    assert "Edo (NG-ED)</option>" in page and "(<bdi>Edo</bdi>)" in page.split("<tbody>")[1]
    with Queries() as few_page:
        client.get(reverse("origin:entries"))
    with Queries() as few_api:
        client.get(reverse("api-origin-entries"))
    for number in range(8):
        add_entry(editor, summary=f"Finding {number}.")
    with Queries() as many_page:
        client.get(reverse("origin:entries"))
    with Queries() as many_api:
        client.get(reverse("api-origin-entries"))
    assert_same_queries(few_page, many_page)
    assert_same_queries(few_api, many_api)


def test_partners_through_the_pages_and_the_api(editor, reader, client_for):
    client = client_for(editor)
    response = client.post(
        reverse("origin:partner_new"),
        {
            "name": "Example Return Desk",
            "kind": "ngo",
            "country": "ALB",
            "services": ["reception", "legal"],
            "languages": ["sqi", "eng"],
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    assert "Partner organisation added" in client.get(response["Location"]).content.decode()
    partner = Partner.objects.get()
    listed = (
        client_for(reader).get(reverse("api-origin-partners"), {"country": "ALB", "service": "legal"}).json()
    )
    assert listed["count"] == 1 and listed["results"][0]["languages"] == ["eng", "sqi"]
    url = reverse("api-origin-partner", args=[partner.pk])
    body = {"name": "Renamed", "kind": "ngo", "country": "ALB", "expected_version": 1}
    assert client.put(url, body, "application/json").json()["version"] == 2
    api_error(client.put(url, body, "application/json"), 409, "stale")
    api_error(client.post(reverse("api-origin-partners"), {**body, "email": "nope"}, "application/json"), 400)
    api_error(client_for(reader).put(url, {**body, "expected_version": 2}, "application/json"), 404)
    for number in range(3):
        add_partner(editor, name=f"Partner {number}", country="ALB")
    page = client_for(reader).get(reverse("origin:partners"), {"country": "ALB"}).content.decode()
    assert "Partner 2" in page and "Add a partner organisation" not in page
