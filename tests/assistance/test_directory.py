"""The service directory: read by everyone who works on cases, edited by administrators and the provider's
own members, filtered by kind, language and region, with live places; its list's queries do not grow."""

from __future__ import annotations

import re

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from palermo.assistance.models import HTCDS_SUPPORT_TYPE, ProviderService, ServiceKind
from palermo.assistance.services.directory import ServiceData, service_create, service_update
from palermo.audit.models import AuditEvent
from tests.api.errors import api_error
from tests.assistance.conftest import add_service
from tests.queries import Queries, assert_same_queries

pytestmark = pytest.mark.django_db

HTCDS_SPL_TYPES = {
    "Education",
    "Financial",
    "Health",
    "LabourExploitationRehabilitation",
    "Legal",
    "Livelihood",
    "RightsBasedTraining",
    "SexualExploitationRehabilitation",
    "SocialCare",
}


def test_every_service_maps_to_an_htcds_support_plan_type():
    assert set(HTCDS_SUPPORT_TYPE) == set(ServiceKind.values)
    assert set(HTCDS_SUPPORT_TYPE.values()) <= HTCDS_SPL_TYPES


def test_members_edit_their_own_agencys_services_and_administrators_any(
    shelter_worker, lawyer, admin, shelter
):
    data = ServiceData(kind=shelter.kind, name="Renamed", capacity=5, languages=["RUM", "ukr"])
    with pytest.raises(PermissionDenied):
        service_update(
            actor=lawyer, membership=lawyer.membership, service=shelter, data=data, expected_version=1
        )
    updated = service_update(
        actor=admin, membership=admin.membership, service=shelter, data=data, expected_version=1
    )
    assert updated.name == "Renamed" and updated.version == 2
    assert sorted(updated.languages.values_list("language", flat=True)) == ["ron", "ukr"]
    with pytest.raises(PermissionDenied):
        service_create(actor=lawyer, membership=lawyer.membership, agency=shelter.agency, data=data)
    assert AuditEvent.objects.filter(action="directory.service_update", tier=0).exists()


def test_accommodation_needs_places_and_bad_input_is_refused(shelter_worker):
    with pytest.raises(ValidationError):
        add_service(shelter_worker, capacity=None)
    with pytest.raises(ValidationError):
        add_service(shelter_worker, ServiceKind.EDUCATION, languages=["zz9"])
    with pytest.raises(ValidationError):
        add_service(shelter_worker, ServiceKind.EDUCATION, serves_adults=False, serves_children=False)
    assert not ProviderService.objects.exists()


def test_directory_screen_filters_and_shows_free_places(manager, shelter, legal, client_for):
    client = client_for(manager)
    page = client.get(reverse("assistance:directory")).content.decode()
    assert shelter.name in page and legal.name in page and "2 of 2" in page
    filtered = client.get(reverse("assistance:directory"), {"kind": "legal_assistance"}).content.decode()
    assert legal.name in filtered and shelter.name not in filtered
    by_language = client.get(reverse("assistance:directory"), {"language": "rus"}).content.decode()
    assert legal.name in by_language
    assert re.search(r"<td>[^<]*Russian[^<]*</td>", by_language)  # languages by name, not by code
    assert "ron, rus" not in by_language
    none = client.get(reverse("assistance:directory"), {"language": "tha"}).content.decode()
    assert legal.name not in none


def test_the_directory_lists_in_a_fixed_number_of_queries(manager, shelter_worker, client_for):
    client = client_for(manager)
    add_service(shelter_worker, ServiceKind.EDUCATION)
    with Queries() as few:
        assert client.get(reverse("assistance:directory")).status_code == 200
    for number in range(12):
        add_service(shelter_worker, ServiceKind.EDUCATION, name=f"course {number}")
    with Queries() as many:
        assert client.get(reverse("assistance:directory")).status_code == 200
    assert_same_queries(few, many)


def test_adding_and_changing_a_service_on_screen(shelter_worker, client_for):
    client = client_for(shelter_worker)
    response = client.post(
        reverse("assistance:service_new"),
        {
            "kind": "safe_accommodation",
            "name": "Casa Luminii",
            "languages": ["ron", "rus"],  # chosen from the type-ahead by name
            "regions": "North, South",
            "serves_women": "on",
            "serves_adults": "on",
            "capacity": "4",
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    service = ProviderService.objects.get(name="Casa Luminii")
    assert service.agency == shelter_worker.membership.agency and not service.serves_men
    assert sorted(service.languages.values_list("language", flat=True)) == ["ron", "rus"]
    edit = reverse("assistance:service_edit", args=[service.pk])
    form = client.get(edit).content.decode()
    assert '<option value="ron" selected>' in form and '<option value="rus" selected>' in form
    not_a_language = client.post(
        edit, {"kind": "safe_accommodation", "name": "x", "version": 1, "languages": ["xx"]}
    )
    assert not_a_language.status_code == 400
    assert "Choose “Languages” from the list." in not_a_language.content.decode()
    refused = client.post(
        edit, {"kind": "safe_accommodation", "name": "x", "version": 1, "serves_adults": "on"}
    )
    assert refused.status_code == 400  # places are required for accommodation


def test_other_members_cannot_open_the_edit_page(lawyer, shelter, client_for):
    assert client_for(lawyer).get(reverse("assistance:service_edit", args=[shelter.pk])).status_code == 404


def test_directory_api(manager, admin, shelter, shelter_worker, client_for):
    listed = client_for(manager).get(reverse("api-assistance-services"), {"kind": "safe_accommodation"})
    assert listed.status_code == 200
    # A filter the directory does not know is refused, naming it: never answered with every service.
    for bad in ({"kind": "shelter"}, {"language": "Romanian"}):
        refused = api_error(client_for(manager).get(reverse("api-assistance-services"), bad), 400)
        assert set(refused["fields"]) == set(bad)
    by_code = client_for(manager).get(reverse("api-assistance-services"), {"language": "RON"})
    assert by_code.status_code == 200
    row = listed.json()["results"][0]
    assert (
        row["free_places"] == 2 and row["htcds_type"] == "SocialCare" and row["languages"] == ["ron", "rus"]
    )
    created = client_for(admin).post(
        reverse("api-assistance-services"),
        {"agency": shelter.agency_id, "kind": "interpretation", "name": "Interpreters", "languages": ["ara"]},
        content_type="application/json",
    )
    assert created.status_code == 201 and created.json()["agency"] == shelter.agency_id
    refused = client_for(shelter_worker).put(
        reverse("api-assistance-service", args=[shelter.pk]),
        {"kind": "safe_accommodation", "name": "x", "expected_version": 1},
        content_type="application/json",
    )
    api_error(refused, 400, "invalid")
