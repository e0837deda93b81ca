"""Persons and consent through the API: tiers in and out; 409 with the current version; 4xx for bad input."""

from __future__ import annotations

import pytest
from django.urls import reverse

from palermo.access.services import case_team_add
from palermo.accounts.roles import Role
from palermo.cases.models import ConsentPurpose, Person
from palermo.cases.selectors import consent_valid
from tests.api.errors import api_error
from tests.cases.referrals import open_case

JSON = "application/json"


@pytest.fixture
def case(first_responder, ia_agency):
    return open_case(first_responder, ia_agency)


@pytest.fixture
def person(case):
    return case.persons.get()


@pytest.fixture
def api(first_responder, client_for):
    return client_for(first_responder)


def join(first_responder, case, member):
    case_team_add(
        actor=first_responder,
        membership=first_responder.membership,
        case=case,
        agency=member.membership.agency,
        reason="on the case",
    )
    return member


def test_the_team_responder_reads_every_block(api, case, person):
    body = api.get(reverse("api-case-persons", args=[case.reference])).json()
    assert len(body) == 1
    read = body[0]
    assert read["identity"]["given_names"] == person.given_names
    assert read["location"]["current_address"] == person.current_address
    assert read["narrative"] == {"note": ""}
    assert read["citizenships"][0]["country"] == "ALB"
    assert read["child"] == "adult"


def test_a_migration_officer_reads_no_location(first_responder, client_for, case, person, migration_officer):
    join(first_responder, case, migration_officer)
    read = (
        client_for(migration_officer).get(reverse("api-case-person", args=[case.reference, person.pk])).json()
    )
    assert read["identity"]["given_names"] == person.given_names
    assert read["location"] is None and read["narrative"] is None


def test_the_rapporteur_and_outsiders_get_404(client_for, rapporteur, make_member, case, person):
    for user in (rapporteur, make_member(Role.CASE_MANAGER)):
        client = client_for(user)
        assert client.get(reverse("api-case-persons", args=[case.reference])).status_code == 404
        url = reverse("api-case-person", args=[case.reference, person.pk])
        assert (
            client.patch(url, {"expected_version": 1, "gender": "Masculine"}, content_type=JSON).status_code
            == 404
        )
    assert Person.objects.get(pk=person.pk).version == 1


def test_an_edit_and_a_stale_edit(api, case, person):
    url = reverse("api-case-person", args=[case.reference, person.pk])
    saved = api.patch(url, {"expected_version": 1, "family_names": "Ковач"}, content_type=JSON)
    assert saved.status_code == 200
    assert saved.json()["version"] == 2 and saved.json()["identity"]["family_names"] == "Ковач"
    stale = api.patch(url, {"expected_version": 1, "family_names": "Other"}, content_type=JSON)
    current = api_error(stale, 409, "stale")["current"]
    assert current["version"] == 2
    assert current["record"]["identity"]["family_names"] == "Ковач"
    assert "Other" not in stale.content.decode()
    assert Person.objects.get(pk=person.pk).family_names == "Ковач"


def test_the_child_flag_is_derived_from_an_edit(api, case, person):
    url = reverse("api-case-person", args=[case.reference, person.pk])
    response = api.patch(
        url, {"expected_version": 1, "age_uncertain": True, "believed_child": True}, content_type=JSON
    )
    assert response.json()["child"] == "presumed"
    case.refresh_from_db()
    assert case.is_child


def test_writing_a_tier_the_caller_may_not_is_404(
    first_responder, client_for, case, person, migration_officer
):
    join(first_responder, case, migration_officer)
    client = client_for(migration_officer)
    url = reverse("api-case-person", args=[case.reference, person.pk])
    response = client.patch(url, {"expected_version": 1, "current_address": "elsewhere"}, content_type=JSON)
    api_error(response, 404, "not_found")
    assert Person.objects.get(pk=person.pk).current_address == person.current_address


@pytest.mark.parametrize(
    "bad",
    [
        {},
        {"expected_version": 0},
        {"expected_version": 2**40},
        {"expected_version": 1, "birth_date": "not a date"},
        {"expected_version": 1, "birth_date": "2999-01-01"},
        {"expected_version": 1, "gender": "robot"},
        {"expected_version": 1, "given_names": ""},
        {"expected_version": 1, "email": "nope"},
    ],
)
def test_bad_edits_are_400(api, case, person, bad):
    response = api.patch(reverse("api-case-person", args=[case.reference, person.pk]), bad, content_type=JSON)
    assert response.status_code == 400
    assert Person.objects.get(pk=person.pk).version == 1


def test_sub_records_through_the_api(api, case, person):
    ref = case.reference
    alias = api.post(
        reverse("api-case-person-aliases", args=[ref, person.pk]), {"name": "Lira"}, content_type=JSON
    )
    assert alias.status_code == 201
    assert api.delete(reverse("api-case-alias", args=[ref, alias.json()["id"]])).status_code == 204
    held = person.citizenships.get(country="ALB")
    again = api.post(
        reverse("api-case-person-citizenships", args=[ref, person.pk]), {"country": "ALB"}, content_type=JSON
    )  # already recorded: the same record, not a second one nor an error
    assert again.status_code == 201 and again.json()["id"] == held.pk
    assert person.citizenships.filter(country="ALB").count() == 1
    added = api.post(
        reverse("api-case-person-citizenships", args=[ref, person.pk]), {"country": "GRC"}, content_type=JSON
    )
    assert added.status_code == 201 and added.json()["name"] == "Greece"
    language = api.post(
        reverse("api-case-person-languages", args=[ref, person.pk]),
        {"language": "ell", "needs_interpreter": True},
        content_type=JSON,
    )
    assert language.status_code == 201
    changed = api.patch(
        reverse("api-case-language", args=[ref, language.json()["id"]]),
        {"needs_interpreter": False},
        content_type=JSON,
    )
    assert changed.json()["needs_interpreter"] is False
    document = api.post(
        reverse("api-case-person-identity-documents", args=[ref, person.pk]),
        {"type": "passport", "number": "P-778899", "issuing_country": "ALB", "held_by": "exploiter"},
        content_type=JSON,
    )
    assert document.status_code == 201
    url = reverse("api-case-identity-document", args=[ref, document.json()["id"]])
    assert api.patch(url, {"expected_version": 1, "held_by": "person"}, content_type=JSON).status_code == 200
    stale = api.patch(url, {"expected_version": 1, "held_by": "authorities"}, content_type=JSON)
    assert api_error(stale, 409, "stale")["current"]["version"] == 2
    read = api.get(reverse("api-case-person", args=[ref, person.pk])).json()
    assert read["identity"]["identity_documents"][0]["held_by"] == "person"


def test_consent_through_the_api(api, case, make_agency):
    shelter = make_agency()
    url = reverse("api-case-consents", args=[case.reference])
    created = api.post(
        url,
        {"purpose": "sharing", "given_by": "person", "language": "sqi", "recipient_agency": shelter.pk},
        content_type=JSON,
    )
    assert created.status_code == 201 and created.json()["valid"] is True
    check = reverse("api-case-consent-check", args=[case.reference])
    assert api.get(check, {"purpose": "sharing", "recipient_agency": shelter.pk}).json() == {"valid": True}
    withdrawn = api.post(
        reverse("api-case-consent-withdraw", args=[case.reference, created.json()["id"]]),
        {"note": "by phone"},
        content_type=JSON,
    )
    assert withdrawn.status_code == 200 and withdrawn.json()["valid"] is False
    assert api.get(check, {"purpose": "sharing", "recipient_agency": shelter.pk}).json() == {"valid": False}
    assert not consent_valid(case, ConsentPurpose.SHARING, shelter)
    listed = api.get(url).json()
    assert {item["purpose"] for item in listed} == {"referral", "sharing"}
    again = api.post(
        reverse("api-case-consent-withdraw", args=[case.reference, created.json()["id"]]),
        {},
        content_type=JSON,
    )
    # Sent twice: the same answer, the withdrawal as it was (decision 0031).
    assert again.status_code == 200 and again.json() == withdrawn.json()


@pytest.mark.parametrize(
    "bad",
    [
        {"purpose": "sharing", "given_by": "person", "language": "sqi"},
        {"purpose": "statistics", "given_by": "neighbour", "language": "sqi"},
        {"purpose": "statistics", "given_by": "person", "language": "zz"},
        {
            "purpose": "statistics",
            "given_by": "person",
            "language": "sqi",
            "given_at": "2999-01-01T00:00:00Z",
        },
        {"purpose": "sharing", "given_by": "person", "language": "sqi", "recipient_agency": 2**40},
    ],
)
def test_bad_consents_are_400(api, case, bad):
    response = api.post(reverse("api-case-consents", args=[case.reference]), bad, content_type=JSON)
    assert response.status_code == 400
    assert case.consents.count() == 1


def test_a_service_provider_may_not_record_consent(first_responder, client_for, case, service_provider):
    join(first_responder, case, service_provider)
    client = client_for(service_provider)
    response = client.post(
        reverse("api-case-consents", args=[case.reference]),
        {"purpose": "statistics", "given_by": "person", "language": "sqi"},
        content_type=JSON,
    )
    api_error(response, 404, "not_found")
    assert client.get(reverse("api-case-consents", args=[case.reference])).status_code == 200


@pytest.mark.parametrize(
    ("url_name", "body"),
    [
        ("api-case-person-aliases", {"name": ""}),
        ("api-case-person-citizenships", {"country": "XYZ"}),
        ("api-case-person-languages", {"language": "sqi"}),  # already recorded
        ("api-case-person-identity-documents", {"type": "diary"}),
    ],
)
def test_bad_sub_records_are_400(api, case, person, url_name, body):
    counts = (person.aliases.count(), person.citizenships.count(), person.languages.count())
    response = api.post(reverse(url_name, args=[case.reference, person.pk]), body, content_type=JSON)
    api_error(response, 400, "invalid")
    assert (person.aliases.count(), person.citizenships.count(), person.languages.count()) == counts
    assert not person.identity_documents.exists()


def test_removing_a_record_of_a_tier_the_caller_may_not_write_is_404(
    first_responder, client_for, case, person, service_provider
):
    join(first_responder, case, service_provider)
    alias = person.aliases.get()
    response = client_for(service_provider).delete(reverse("api-case-alias", args=[case.reference, alias.pk]))
    api_error(response, 404, "not_found")
    assert person.aliases.filter(pk=alias.pk).exists()
