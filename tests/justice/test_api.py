"""The justice API: every record read and written through the same services, answers at the caller's tiers
and duty, a residence decider answered 404 on every endpoint and null for every proceedings field, two
victims of one proceeding seeing nothing of each other, stale edits 409, and lists in constant queries."""

from __future__ import annotations

import datetime

import pytest
from django.urls import URLPattern, reverse
from django.utils import timezone

from palermo.access.matrix import justice_reads
from palermo.accounts.roles import Role
from palermo.justice import api_urls
from palermo.justice.api import serializers as s
from palermo.justice.models import HearingMeasure, Proceeding, ProceedingParty
from tests.api.errors import api_error
from tests.justice.conftest import assess, member, open_proceeding, schedule
from tests.queries import Queries, assert_same_queries

pytestmark = pytest.mark.django_db


def url(name: str, case, *ids: int) -> str:
    return reverse(name, args=[case.reference, *ids])


def test_proceedings_hearings_and_measures_through_the_api(client_for, prosecutor, manager, team_case):
    client = client_for(prosecutor)
    answer = client.post(
        url("api-justice-proceedings", team_case),
        {
            "kind": "criminal",
            "authority": "Court of Examplia",
            "language": "en",
            "role": "injured_party",
            "charges": ["trafficking"],
            "file_number": "F-1/2026",
        },
        content_type="application/json",
    )
    assert answer.status_code == 201, answer.content
    body = answer.json()
    assert body["role"] == "injured_party" and body["proceeding"]["file_number"] == "F-1/2026"
    pk = body["proceeding"]["id"]
    day = (timezone.localdate() + datetime.timedelta(days=30)).isoformat()
    hearing = client.post(
        url("api-justice-hearings", team_case, pk),
        {"held_on": day, "court": "Room 2"},
        content_type="application/json",
    )
    assert hearing.status_code == 201, hearing.content
    hearing_id = hearing.json()["hearings"][0]["id"]
    ask = client_for(manager).post(
        url("api-justice-ask", team_case, hearing_id), {"kind": "video_link"}, content_type="application/json"
    )
    assert ask.status_code == 201, ask.content
    measure = HearingMeasure.objects.get()
    decide = client.post(
        url("api-justice-decide", team_case, measure.pk),
        {"decision": "granted", "version": 1},
        content_type="application/json",
    )
    assert decide.status_code == 200, decide.content
    assert decide.json()["hearings"][0]["measures"][0]["decision"] == "granted"
    stale = client.post(
        url("api-justice-decide", team_case, measure.pk),
        {"decision": "refused", "version": 1},
        content_type="application/json",
    )
    api_error(stale, 409)


def test_the_person_side_through_the_api(client_for, manager, prosecutor, team_case):
    client = client_for(manager)
    choices = client.post(
        url("api-justice-choices", team_case),
        {
            "language": "ro",
            "legal_information_given": True,
            "lawyer_assigned": True,
            "lawyer_free": True,
            "lawyer_name": "Av. Ionescu",
            "cooperates": "undecided",
            "claims_compensation": "yes",
            "testifies": "no",
        },
        content_type="application/json",
    )
    assert choices.status_code == 201, choices.content
    assert choices.json()["language"] == "ron"
    claim = client.post(
        url("api-justice-claims", team_case),
        {"route": "state_fund", "currency": "EUR", "claimed_amount": "5000.00"},
        content_type="application/json",
    )
    assert claim.status_code == 201, claim.content
    claim_id = claim.json()["id"]
    award = client_for(prosecutor).post(
        url("api-justice-award", team_case, claim_id),
        {"awarded_amount": "3000", "version": 1},
        content_type="application/json",
    )
    assert award.status_code == 200 and award.json()["unpaid"] == "3000.00"
    paid = client.post(
        url("api-justice-payment", team_case, claim_id),
        {"amount": "1000", "version": 2},
        content_type="application/json",
    )
    assert paid.status_code == 201, paid.content
    assert paid.json()["unpaid"] == "2000.00" and paid.json()["paid_amount"] == "1000.00"
    stale = client.post(
        url("api-justice-payment", team_case, claim_id),
        {"amount": "1000", "version": 2},
        content_type="application/json",
    )
    assert api_error(stale, 409)["current"]["record"]["paid_amount"] == "1000.00"
    offence = client.post(
        url("api-justice-offences", team_case),
        {"kind": "false_documents", "status": "charged", "link": "The traffickers supplied it."},
        content_type="application/json",
    )
    assert offence.status_code == 201, offence.content
    request = client.post(
        url("api-justice-request", team_case, offence.json()["id"]),
        {"prosecutor": "Prosecutor's office of Examplia", "language": "fr"},
        content_type="application/json",
    )
    assert request.status_code == 201 and request.json()["legal_basis"]
    letter = client.get(url("api-justice-letter", team_case, request.json()["id"]))
    assert letter.status_code == 200 and letter["Content-Type"] == "application/pdf"


def _every_endpoint(case, pk: int) -> list[tuple[str, set[str]]]:
    """(url, the methods its view answers) of every endpoint of the area."""
    urls = []
    for pattern in api_urls.urlpatterns:
        assert isinstance(pattern, URLPattern)
        ids = [pk] if "<int:pk>" in str(pattern.pattern) else []
        view = pattern.callback.view_class  # type: ignore[attr-defined]
        methods = {method for method in ("get", "post") if hasattr(view, method)}
        urls.append((reverse(pattern.name, args=[case.reference, *ids]), methods))
    return urls


def test_a_residence_decider_gets_404_on_every_endpoint(client_for, officer, prosecutor, team_case):
    proceeding = open_proceeding(prosecutor, team_case)
    client = client_for(officer)
    for endpoint, methods in _every_endpoint(team_case, proceeding.pk):
        assert methods, endpoint
        if "get" in methods:
            api_error(client.get(endpoint), 404)
        if "post" in methods:
            api_error(client.post(endpoint, {}, content_type="application/json"), 404)


def test_every_proceedings_field_is_null_for_a_residence_decider(prosecutor, protector, team_case):
    proceeding = open_proceeding(prosecutor, team_case, identity_withheld=True, pseudonym="W-1")
    assessment = assess(protector, team_case)
    party = ProceedingParty.objects.get()
    parts = justice_reads(Role.MIGRATION_OFFICER)
    assert parts == frozenset()
    context = {"tiers": frozenset({0, 1, 2}), "parts": parts}
    for serializer, record in (
        (s.PartySerializer, party),
        (s.ProceedingSerializer, proceeding),
        (s.RiskAssessmentSerializer, assessment),
    ):
        data = serializer(record, context=context).data
        assert data and all(value is None for value in data.values()), (serializer, data)


def test_two_victims_of_one_proceeding_see_nothing_of_each_other(
    client_for, make_case, manager, prosecutor, protector, officer, lawyer, make_member
):
    other_manager = make_member(Role.CASE_MANAGER)
    first = make_case(team=(manager, prosecutor))
    second = make_case(team=(other_manager, prosecutor))
    proceeding = open_proceeding(prosecutor, first, identity_withheld=True, pseudonym="Witness ALPHA")
    from palermo.justice.services.proceedings import proceeding_join, statement_record

    proceeding_join(
        actor=prosecutor,
        membership=member(prosecutor),
        case=second,
        proceeding=proceeding,
        role="civil_party",
        identity_withheld=True,
        pseudonym="Witness BRAVO",
    )
    statement_record(
        actor=prosecutor,
        membership=member(prosecutor),
        case=first,
        proceeding=proceeding,
        kind="police_interview",
        taken_on=None,
        taken_by="POLICE-ALPHA-UNIT",
    )
    schedule(prosecutor, first, proceeding)
    mine = client_for(other_manager).get(url("api-justice-proceeding", second, proceeding.pk))
    text = mine.content.decode()
    assert mine.status_code == 200 and "BRAVO" in text
    assert "ALPHA" not in text and first.reference not in text
    assert mine.json()["statements"] == [] and len(mine.json()["hearings"]) == 1
    # The other team cannot reach the first case's part, through either case.
    api_error(client_for(other_manager).get(url("api-justice-proceeding", first, proceeding.pk)), 404)
    page = client_for(other_manager).get(
        reverse("justice:proceeding", args=[second.reference, proceeding.pk])
    )
    assert "ALPHA" not in page.content.decode() and "BRAVO" in page.content.decode()


def test_joining_needs_work_on_the_proceedings(make_case, prosecutor, make_member):
    from django.core.exceptions import ValidationError

    from palermo.justice.services.proceedings import proceeding_join

    stranger = make_member(Role.INVESTIGATOR)
    first = make_case(team=(prosecutor,))
    mine = make_case(team=(stranger,))
    proceeding = open_proceeding(prosecutor, first)
    with pytest.raises(ValidationError):
        proceeding_join(
            actor=stranger, membership=member(stranger), case=mine, proceeding=proceeding, role="witness"
        )
    assert Proceeding.objects.get().parties.count() == 1


def test_the_proceedings_list_reads_in_constant_queries(client_for, prosecutor, team_case):
    client = client_for(prosecutor)
    endpoint = url("api-justice-proceedings", team_case)
    for _ in range(2):
        p = open_proceeding(prosecutor, team_case)
        schedule(prosecutor, team_case, p)
    client.get(endpoint)
    with Queries() as few:
        client.get(endpoint)
    for _ in range(5):
        p = open_proceeding(prosecutor, team_case)
        schedule(prosecutor, team_case, p)
    with Queries() as many:
        answer = client.get(endpoint)
    assert answer.json()["count"] == 7 and len(answer.json()["results"]) == 7
    assert_same_queries(few, many)


def test_the_lists_are_answered_a_page_at_a_time(client_for, prosecutor, team_case, settings):
    """Every list of the area pages the kernel's way: the count, the links, and past the last page 404."""
    from palermo.cases.endpoints import CasePagination

    client = client_for(prosecutor)
    endpoint = url("api-justice-proceedings", team_case)
    for _ in range(3):
        open_proceeding(prosecutor, team_case)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(CasePagination, "page_size", 2)
        first = client.get(endpoint).json()
        second = client.get(endpoint, {"page": 2}).json()
        api_error(client.get(endpoint, {"page": 3}), 404)
    assert first["count"] == 3 and len(first["results"]) == 2 and first["next"] and first["previous"] is None
    assert len(second["results"]) == 1 and second["next"] is None
    ids = {row["id"] for row in first["results"] + second["results"]}
    assert len(ids) == 3


def test_the_schema_says_every_list_is_paged():
    from tests.api.openapi import generated_schema

    schema = generated_schema()
    lists = [
        (path, operation)
        for path, item in schema["paths"].items()
        if path.startswith("/api/v1/justice/")
        for method, operation in item.items()
        if method == "get" and "{id}" not in path
    ]
    assert len(lists) == 7, [path for path, _ in lists]
    for path, operation in lists:
        names = {parameter["name"] for parameter in operation.get("parameters", [])}
        answer = operation["responses"]["200"]["content"]["application/json"]["schema"]
        assert "page" in names and answer["$ref"].split("/")[-1].startswith("Paginated"), path
