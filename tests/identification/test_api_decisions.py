"""Legal elements, age and decisions through the API."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from palermo.accounts.roles import Role
from palermo.identification import events
from palermo.identification.models import IdentificationDecision, ReviewRequest
from tests.api.errors import api_error

pytestmark = pytest.mark.django_db

REASONS = "The indicators of deception and coercion at destination are met; the account is consistent."


def send(client, method, name, data, *args):
    return getattr(client, method)(reverse(name, args=args), data, content_type="application/json")


def test_legal_elements_round_trip_and_the_child_rule(client_for, responder, make_case):
    case = make_case(team=(responder,), is_child=True)
    client = client_for(responder)
    ref = case.reference
    empty = client.get(reverse("api-identification-legal-elements", args=[ref])).json()
    assert empty["version"] is None and empty["treated_as_child"] is True and empty["means_required"] is False
    body = {"acts": ["recruitment"], "means": [], "purposes": ["forced_begging"]}
    saved = send(client, "put", "api-identification-legal-elements", body, ref).json()
    assert saved["elements_met"] is True and saved["version"] == 1
    stale = send(client, "put", "api-identification-legal-elements", body, ref)
    current = api_error(stale, 409, "stale")["current"]
    assert current["version"] == current["record"]["version"] == 1
    bad = send(
        client,
        "put",
        "api-identification-legal-elements",
        {**body, "acts": ["kidnap"], "expected_version": 1},
        ref,
    )
    assert bad.status_code == 400
    # An age assessment concluding adult: now the means are required.
    adult = {
        "method": "documents",
        "conclusion": "adult",
        "assessed_on": (timezone.localdate() - datetime.timedelta(days=1)).isoformat(),
        "assessor": "Civil registry",
    }
    assert send(client, "post", "api-identification-age-assessments", adult, ref).status_code == 201
    ages = client.get(reverse("api-identification-age-assessments", args=[ref])).json()
    assert ages["treated_as_child"] is False and ages["assessments"][0]["conclusion"] == "adult"
    again = client.get(reverse("api-identification-legal-elements", args=[ref])).json()
    assert again["elements_met"] is False and again["missing"] == ["means"]


def test_differentiation_through_the_api(client_for, authority, team_case):
    client = client_for(authority)
    ref = team_case.reference
    created = send(
        client,
        "post",
        "api-identification-differentiations",
        {"situation": "smuggling", "reasons": "x y"},
        ref,
    )
    assert created.status_code == 201
    assert (
        client.get(reverse("api-identification-differentiations", args=[ref])).json()[0]["situation"]
        == "smuggling"
    )
    refused = send(
        client, "post", "api-identification-differentiations", {"situation": "smuggling", "reasons": " "}, ref
    )
    assert refused.status_code == 400


def test_decisions_through_the_api(
    client_for, authority, make_member, make_case, django_capture_on_commit_callbacks
):
    migration = make_member(Role.MIGRATION_OFFICER)
    case = make_case(team=(authority, migration))
    ref = case.reference
    client = client_for(authority)
    before = client.get(reverse("api-identification-decisions", args=[ref])).json()
    assert before["pending"][0]["kind"] == "presumed" and before["decisions"] == []
    seen: list = []
    events.on_presumed_victim(seen.append)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            taken = send(
                client,
                "post",
                "api-identification-decisions",
                {"kind": "presumed", "outcome": "positive", "grounds": ["indicators"], "reasons": REASONS},
                ref,
            )
    finally:
        events.remove_presumed_victim_handler(seen.append)
    assert taken.status_code == 201, taken.content
    document = taken.json()
    assert document["pending"][0]["kind"] == "identified"
    assert document["decisions"][0]["stands"] is True and document["decisions"][0]["reasons"] == REASONS
    assert [e.case_id for e in seen] == [case.pk]
    # The migration officer sees the outcome and the deadline, not the reasons.
    theirs = client_for(migration).get(reverse("api-identification-decisions", args=[ref])).json()
    assert theirs["decisions"][0]["outcome"] == "positive"
    assert theirs["decisions"][0]["reasons"] is None and theirs["decisions"][0]["grounds"] is None
    refused = send(
        client_for(migration),
        "post",
        "api-identification-decisions",
        {"kind": "identified", "outcome": "positive", "grounds": ["indicators"], "reasons": REASONS},
        ref,
    )
    assert refused.status_code == 404


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        ({"grounds": ["cooperation"]}, "never a ground"),
        ({"reasons": "Positive provided that she testifies against the recruiter."}, "never conditional"),
        ({"kind": "final"}, "presumed or identified"),
    ],
)
def test_decisions_never_depend_on_cooperation(client_for, authority, team_case, change, problem):
    body = {
        "kind": "presumed",
        "outcome": "positive",
        "grounds": ["indicators"],
        "reasons": REASONS,
        **change,
    }
    response = send(client_for(authority), "post", "api-identification-decisions", body, team_case.reference)
    assert response.status_code == 400
    assert problem in response.content.decode()
    assert not IdentificationDecision.objects.exists()


def test_review_and_the_awaiting_list(client_for, authority, responder, make_case):
    case = make_case(team=(responder, authority))
    client = client_for(authority)
    ref = case.reference
    awaiting = client.get(reverse("api-identification-awaiting")).json()
    assert [row["reference"] for row in awaiting["results"]] == [ref]
    negative = {
        "kind": "presumed",
        "outcome": "negative",
        "grounds": ["elements_not_met"],
        "reasons": "Not met.",
    }
    decision = send(client, "post", "api-identification-decisions", negative, ref).json()["decisions"][0]
    assert client.get(reverse("api-identification-awaiting")).json()["results"] == []
    # The person appeals: the review is awaited, due as the request says, until it is decided.
    asked = send(
        client,
        "post",
        "api-identification-decision-review-request",
        {"procedure": "appeal"},
        ref,
        decision["id"],
    )
    assert asked.status_code == 201, asked.content
    [row] = client.get(reverse("api-identification-awaiting")).json()["results"]
    request = ReviewRequest.objects.get()
    assert (row["awaiting"], row["procedure"]) == ("presumed", "appeal")
    assert parse_datetime(row["due_at"]) == request.due_at
    review = {
        "procedure": "appeal",
        "outcome": "positive",
        "grounds": ["new_information"],
        "reasons": REASONS,
    }
    reviewed = send(client, "post", "api-identification-decision-review", review, ref, decision["id"])
    assert reviewed.status_code == 201
    assert reviewed.json()["decisions"][0]["procedure"] == "appeal"
    [row] = client.get(reverse("api-identification-awaiting")).json()["results"]
    assert (row["awaiting"], row["procedure"]) == ("identified", "first")  # the appeal answered
    again = send(client, "post", "api-identification-decision-review", review, ref, decision["id"])
    assert again.status_code == 400  # the first decision no longer stands
