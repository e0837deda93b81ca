"""Screening says what it screened with: when the case's form of exploitation has no instrument written for
it, the screening pages and the API say so and name the instrument used; installing one lifts the notice."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.management import call_command
from django.urls import reverse

from palermo.cases.models import CaseExploitation
from palermo.identification.services.screenings import screening_start

pytestmark = pytest.mark.django_db

SEXUAL_LIST = (
    "dimension,indicator,strength_adult,strength_child\n"
    "exploitation,forced to provide sexual services,strong,strong\n"
)


def with_forms(case, *forms):
    for form in forms:
        CaseExploitation.objects.create(case=case, form=form)
    return case


def start(responder, case, ilo):
    return screening_start(actor=responder, membership=responder.membership, case=case, instrument=ilo)


def install_sexual_list(tmp_path: Path) -> None:
    path = tmp_path / "sexual.csv"
    path.write_text(SEXUAL_LIST, encoding="utf-8")
    call_command(
        "import_instrument",
        str(path),
        "--name",
        "national-sexual",
        "--version",
        "1",
        "--source",
        "a national list",
        "--exploitation-type",
        "sexual",
    )


def test_the_pages_say_no_list_fits_and_name_the_one_used(signed_in_client, responder, team_case, ilo):
    case = with_forms(team_case, "SexualExploitation", "ForcedLabour")
    screening = start(responder, case, ilo)
    client = signed_in_client(responder)
    listing = client.get(reverse("identification:screenings", args=[case.reference])).content.decode()
    assert 'id="missing-instrument"' in listing
    assert "No indicator list for Sexual exploitation is installed here" in listing
    assert "the system administrator can install one from the Indicator lists page" in listing
    detail = client.get(
        reverse("identification:screening", args=[case.reference, screening.pk])
    ).content.decode()
    assert 'id="instrument-coverage"' in detail
    assert "This screening used ilo-2009-labour" in detail
    assert "It was not written for Sexual exploitation" in detail
    assert "Forced labour" not in detail[detail.index('id="instrument-coverage"') :].split("</div>")[0]


def test_a_labour_case_screened_with_the_labour_list_has_no_notice(
    signed_in_client, responder, team_case, ilo
):
    case = with_forms(team_case, "ForcedLabour", "Servitude")
    screening = start(responder, case, ilo)
    client = signed_in_client(responder)
    listing = client.get(reverse("identification:screenings", args=[case.reference])).content.decode()
    detail = client.get(
        reverse("identification:screening", args=[case.reference, screening.pk])
    ).content.decode()
    assert 'id="missing-instrument"' not in listing and 'id="instrument-coverage"' not in detail


def test_the_api_names_the_instrument_and_the_forms_it_does_not_cover(
    signed_in_client, responder, team_case, ilo
):
    case = with_forms(team_case, "ForcedMarriage", "ForcedLabour")
    screening = start(responder, case, ilo)
    read = signed_in_client(responder).get(
        reverse("api-identification-screening", args=[case.reference, screening.pk])
    )
    coverage = read.json()["coverage"]
    assert coverage["instrument"] == f"{ilo.name} ({ilo.version})"
    assert coverage["instrument_exploitation_type"] == "labour"
    assert coverage["case_forms"] == ["ForcedLabour", "ForcedMarriage"]
    assert coverage["forms_not_covered"] == ["ForcedMarriage"]
    assert coverage["forms_without_instrument"] == ["ForcedMarriage"]
    assert coverage["fits"] is False
    assert "Forced marriage" in coverage["message"] and "Indicator lists page" in coverage["message"]


def test_installing_a_list_for_the_form_changes_what_is_said(
    signed_in_client, responder, team_case, ilo, tmp_path, capsys
):
    case = with_forms(team_case, "SexualExploitation")
    screening = start(responder, case, ilo)
    install_sexual_list(tmp_path)
    client = signed_in_client(responder)
    listing = client.get(reverse("identification:screenings", args=[case.reference])).content.decode()
    assert 'id="missing-instrument"' not in listing
    coverage = client.get(
        reverse("api-identification-screening", args=[case.reference, screening.pk])
    ).json()["coverage"]
    # The labour list still does not fit this screening; now another installed list does.
    assert coverage["forms_not_covered"] == ["SexualExploitation"]
    assert coverage["forms_without_instrument"] == []
    assert "This screening used" in coverage["message"] and "Indicator lists" not in coverage["message"]
