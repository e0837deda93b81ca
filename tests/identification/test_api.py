"""The identification API: instruments, the stateless evaluation, screenings on a case."""

from __future__ import annotations

import pytest
from django.urls import reverse

from palermo.accounts.roles import Role
from palermo.identification.models import Screening
from tests.api.errors import api_error, error_text

pytestmark = pytest.mark.django_db

DECEIVED = "deceived about the nature of the job, location or employer"
ADULT_VICTIM = [
    {"dimension": "deceptive_recruitment", "indicator": DECEIVED, "answer": "yes"},
    {"dimension": "deceptive_recruitment", "indicator": "deceived about wages or earnings", "answer": "yes"},
    {"dimension": "exploitation", "indicator": "excessive working days or hours", "answer": "yes"},
    {"dimension": "exploitation", "indicator": "very bad working conditions", "answer": "yes"},
    {
        "dimension": "abuse_of_vulnerability_at_destination",
        "indicator": "dependency on exploiters",
        "answer": "yes",
    },
    {"dimension": "abuse_of_vulnerability_at_destination", "indicator": "economic reasons", "answer": "yes"},
    {"dimension": "abuse_of_vulnerability_at_destination", "indicator": "family situation", "answer": "yes"},
]


def post(client, name, data, *args):
    return client.post(reverse(name, args=args), data, content_type="application/json")


def answered(client, ref, answers) -> int:
    """A screening started on the case and given `answers` (version 2 now); its id."""
    sid = post(client, "api-identification-screenings", {"instrument_name": "ilo-2009-labour"}, ref).json()[
        "id"
    ]
    body = {"expected_version": 1, "answers": answers}
    post(client, "api-identification-screening-answers", body, ref, sid)
    return sid


def test_instruments_are_listed_with_their_indicators(client_for, make_member, ilo):
    client = client_for(make_member(Role.MIGRATION_OFFICER))
    listing = client.get(reverse("api-identification-instruments")).json()
    assert {"name": "ilo-2009-labour", "exploitation_type": "labour"}.items() <= listing["results"][0].items()
    detail = client.get(reverse("api-identification-instrument", args=[ilo.pk])).json()
    assert detail["dimensions"][0]["key"] == "deceptive_recruitment"
    assert sum(len(d["indicators"]) for d in detail["dimensions"]) == 67


def test_evaluate_is_stateless_and_explains_itself(client_for, responder):
    client = client_for(responder)
    body = {"instrument": "ilo-2009-labour", "child": False, "answers": ADULT_VICTIM}
    result = post(client, "api-identification-evaluate", body).json()
    assert result["victim"] is True
    assert result["groups"] == {
        "recruitment": "positive",
        "exploitation": "positive",
        "destination": "positive",
    }
    assert result["dimensions"]["abuse_of_vulnerability_at_destination"]["verdict"] == "positive"
    assert not Screening.objects.exists()
    as_child = post(client, "api-identification-evaluate", {**body, "child": True}).json()
    assert as_child["victim"] is True and as_child["rule"] == "child"


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        ({"instrument": "nope"}, "No such instrument"),
        ({"answers": [{"dimension": "nope", "indicator": "x", "answer": "yes"}]}, "unknown dimension"),
        (
            {"answers": [{"dimension": "exploitation", "indicator": "x", "answer": "yes"}]},
            "unknown indicator",
        ),
        (
            {"answers": [{"dimension": "exploitation", "indicator": "hazardous work", "answer": "y"}]},
            "not one of",
        ),
    ],
)
def test_evaluate_refuses_with_every_problem(client_for, responder, change, problem):
    body = {"instrument": "ilo-2009-labour", "child": False, "answers": ADULT_VICTIM, **change}
    response = post(client_for(responder), "api-identification-evaluate", body)
    assert problem in error_text(api_error(response, 400, "invalid"))


def test_evaluate_needs_the_rule(client_for, responder):
    response = post(
        client_for(responder),
        "api-identification-evaluate",
        {"instrument": "ilo-2009-labour", "answers": []},
    )
    assert "child" in api_error(response, 400, "invalid")["fields"]


def test_a_screening_through_the_api(client_for, responder, authority, team_case):
    client = client_for(responder)
    ref = team_case.reference
    created = post(client, "api-identification-screenings", {"instrument_name": "ilo-2009-labour"}, ref)
    assert created.status_code == 201, created.content
    screening = created.json()
    assert (screening["status"], screening["child"], screening["version"]) == ("draft", False, 1)
    assert screening["evaluation"]["insufficient_information"] is True
    answered = post(
        client,
        "api-identification-screening-answers",
        {"expected_version": 1, "answers": [{**a, "source": "person"} for a in ADULT_VICTIM]},
        ref,
        screening["id"],
    )
    assert answered.status_code == 200, answered.content
    assert answered.json()["evaluation"]["victim"] is True
    stale = post(
        client,
        "api-identification-screening-complete",
        {"expected_version": 1, "unanswered_confirmed": True},
        ref,
        screening["id"],
    )
    current = api_error(stale, 409, "stale")["current"]
    assert current["version"] == 2 and current["record"]["status"] == "draft"
    done = post(
        client,
        "api-identification-screening-complete",
        {"expected_version": 2, "unanswered_confirmed": True},
        ref,
        screening["id"],
    )
    assert done.json()["status"] == "complete"
    # The authority reads it, with its answers and the evaluation kept at completion.
    read = client_for(authority).get(reverse("api-identification-screening", args=[ref, screening["id"]]))
    assert read.json()["evaluation"]["victim"] is True
    assert len(read.json()["answers"]) == len(ADULT_VICTIM)
    listing = client_for(authority).get(reverse("api-identification-screenings", args=[ref])).json()
    assert [s["id"] for s in listing["results"]] == [screening["id"]]


def test_answers_to_a_completed_screening_are_refused(client_for, responder, team_case):
    client = client_for(responder)
    ref = team_case.reference
    sid = answered(client, ref, ADULT_VICTIM[:1])
    post(
        client,
        "api-identification-screening-complete",
        {"expected_version": 2, "unanswered_confirmed": True},
        ref,
        sid,
    )
    refused = post(
        client,
        "api-identification-screening-answers",
        {"expected_version": 3, "answers": ADULT_VICTIM},
        ref,
        sid,
    )
    assert "complete" in error_text(api_error(refused, 400, "invalid"))


def test_the_authority_starts_one_and_outsiders_see_nothing(client_for, make_member, authority, team_case):
    ref = team_case.reference
    body = {"instrument_name": "ilo-2009-labour"}
    started = post(client_for(authority), "api-identification-screenings", body, ref)
    assert started.status_code == 201
    progress = started.json()["progress"]
    assert (progress["answered"], progress["many_unanswered"], len(progress["steps"])) == (0, True, 6)
    outsider = client_for(make_member(Role.CASE_MANAGER))  # not on the team
    assert outsider.get(reverse("api-identification-screenings", args=[ref])).status_code == 404
    assert post(outsider, "api-identification-screenings", body, ref).status_code == 404
    migration = client_for(make_member(Role.MIGRATION_OFFICER))
    assert migration.get(reverse("api-identification-screenings", args=[ref])).status_code == 404
    assert post(migration, "api-identification-evaluate", {}).status_code == 404


def test_completing_with_many_unanswered_is_confirmed_through_the_api(client_for, responder, team_case):
    client = client_for(responder)
    ref = team_case.reference
    sid = answered(client, ref, ADULT_VICTIM)
    refused = post(client, "api-identification-screening-complete", {"expected_version": 2}, ref, sid)
    assert "not answered" in error_text(api_error(refused, 400, "invalid"))
    read = client.get(reverse("api-identification-screening", args=[ref, sid])).json()
    assert read["status"] == "draft" and read["progress"]["many_unanswered"] is True
    assert read["progress"]["answered"] == len(ADULT_VICTIM)
    assert sum(step["answered"] for step in read["progress"]["steps"]) == len(ADULT_VICTIM)
    explanation = read["evaluation"]["explanation"]
    assert [element["state"] for element in explanation["elements"]] == ["met", "met", "met"]
    assert explanation["elements"][0]["text"].startswith("Met, by: ")
    assert read["evaluation"]["instrument"]["title"].startswith("ILO and European Commission")
    done = post(
        client,
        "api-identification-screening-complete",
        {"expected_version": 2, "unanswered_confirmed": True},
        ref,
        sid,
    )
    assert done.status_code == 200 and done.json()["status"] == "complete"
