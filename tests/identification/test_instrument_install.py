"""Installing an indicator list from the pages and the API, without a shell: the system administrator sends
its CSV file; the whole list is installed, or nothing, with every bad line listed in the reader's language."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from palermo.audit.models import AuditEvent
from palermo.identification.models import Instrument
from tests.api.errors import api_error

pytestmark = pytest.mark.django_db

GOOD = (
    "dimension,indicator,strength_adult,strength_child\n"
    "deceptive_recruitment,promised work that did not exist,strong,strong\n"
    "exploitation,hours far beyond the law,medium,\n"
)
BAD = (
    "dimension,indicator,strength_adult,strength_child\n"
    "deceptive_recruitment,promised work that did not exist,strong,strong\n"
    "exploitaton,hours far beyond the law,medium,\n"  # 3: misspelt dimension
    "exploitation,,medium,\n"  # 4: no text
)


def sent(text: str | bytes = GOOD, **fields: str) -> dict[str, Any]:
    content = text.encode() if isinstance(text, str) else text
    return {
        "name": "national-2026-sexual",
        "version": "2026-1",
        "source": "National coordinator's guidance, annex 2 (synthetic)",
        "exploitation_type": "sexual",
        "file": SimpleUploadedFile("list.csv", content, content_type="text/csv"),
        **fields,
    }


def test_the_system_administrator_installs_a_list_from_the_page(system_administrator, client_for):
    client = client_for(system_administrator)
    listing = client.get(reverse("identification:instruments")).content.decode()
    assert reverse("identification:instrument_new") in listing
    response = client.post(reverse("identification:instrument_new"), sent(), follow=True)
    instrument = Instrument.objects.get(name="national-2026-sexual")
    assert response.redirect_chain[-1][0] == reverse("identification:instrument", args=[instrument.pk])
    page = response.content.decode()
    assert "Indicator list installed" in page and "promised work that did not exist" in page
    assert instrument.exploitation_type == "sexual" and instrument.dimensions.count() == 2
    assert AuditEvent.objects.filter(action="instrument.import", object_id=str(instrument.pk)).exists()


def test_a_bad_file_installs_nothing_and_lists_every_bad_line(system_administrator, client_for):
    client = client_for(system_administrator)
    response = client.post(reverse("identification:instrument_new"), sent(BAD))
    assert response.status_code == 400
    page = response.content.decode()
    assert "There is a problem" in page and "Nothing was installed: 2 problems in the file." in page
    assert "unknown dimension &#x27;exploitaton&#x27;" in page and "the indicator text is empty" in page
    assert not Instrument.objects.filter(name="national-2026-sexual").exists()


def test_the_reasons_read_in_the_reader_s_language(system_administrator, client_for):
    client = client_for(system_administrator)
    client.cookies["django_language"] = "fr"
    page = client.post(reverse("identification:instrument_new"), sent(BAD)).content.decode()
    assert "indicateur est vide" in page and "the indicator text is empty" not in page


def test_a_version_already_installed_and_a_file_that_is_not_utf8_are_refused(
    system_administrator, client_for
):
    client = client_for(system_administrator)
    client.post(reverse("identification:instrument_new"), sent())
    again = client.post(reverse("identification:instrument_new"), sent()).content.decode()
    assert 'href="#id_version"' in again and "import a new version" in again
    latin = client.post(reverse("identification:instrument_new"), sent("é".encode("latin-1"), version="2"))
    assert "not UTF-8 text" in latin.content.decode()
    assert Instrument.objects.filter(name="national-2026-sexual").count() == 1


def test_only_the_system_administrator_installs(case_manager, client_for):
    client = client_for(case_manager)
    assert (
        reverse("identification:instrument_new")
        not in client.get(reverse("identification:instruments")).content.decode()
    )
    assert client.get(reverse("identification:instrument_new")).status_code == 404
    assert client.post(reverse("api-identification-instrument-install"), sent()).status_code == 404
    assert not Instrument.objects.filter(name="national-2026-sexual").exists()


def test_the_api_installs_and_names_each_bad_line(system_administrator, client_for):
    client = client_for(system_administrator)
    refused = client.post(reverse("api-identification-instrument-install"), sent(BAD))
    assert {"rows.3", "rows.4"} == set(api_error(refused, 400)["fields"])
    created = client.post(reverse("api-identification-instrument-install"), sent())
    assert created.status_code == 201
    answer = created.json()
    assert answer["name"] == "national-2026-sexual" and len(answer["dimensions"]) == 2
    again = client.post(reverse("api-identification-instrument-install"), sent())
    assert "version" in api_error(again, 400)["fields"]
