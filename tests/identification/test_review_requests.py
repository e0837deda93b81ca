"""Requests for reconsideration or appeal by screen and API: recorded with the due date the rulebook gives,
shown on the decisions page, answered by the review."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from palermo.cases.models import CaseEvent, EventKind
from palermo.identification.models import IdentificationDecision, ReviewRequest
from palermo.identification.services.decisions import DecisionInput, decision_take
from tests.api.errors import api_error

pytestmark = pytest.mark.django_db

REASONS = "New documents confirm the account given at the first interview."


@pytest.fixture
def negative(team_case, authority):
    return decision_take(
        actor=authority,
        membership=authority.membership,
        case=team_case,
        kind="presumed",
        data=DecisionInput("negative", ["elements_not_met"], "The elements were not met on what is known."),
    )


def test_request_then_review_through_the_pages(client_for, authority, team_case, negative):
    client = client_for(authority)
    url = reverse("identification:decision_review", args=[team_case.reference, negative.pk])
    assert 'name="requested_on"' in client.get(url).content.decode()
    today = timezone.localdate()
    recorded = client.post(
        url, {"action": "request", "procedure": "appeal", "requested_on": today.isoformat()}
    )
    assert recorded.status_code == 302
    request = ReviewRequest.objects.get()
    assert timezone.localtime(request.due_at).date() == today + datetime.timedelta(
        days=30
    )  # osce-2005: 30 calendar days
    assert CaseEvent.objects.filter(
        case=team_case, kind=EventKind.DECISION, summary="Appeal requested"
    ).exists()

    decisions_page = client.get(
        reverse("identification:decisions", args=[team_case.reference])
    ).content.decode()
    assert "Due: Appeal of the Presumed victim (reasonable grounds) decision" in decisions_page
    assert timezone.localtime(request.due_at).date().isoformat() in decisions_page

    form = client.get(url).content.decode()
    assert 'name="requested_on"' not in form and "requested on" in form
    body = {"procedure": "appeal", "outcome": "positive", "grounds": ["new_information"], "reasons": REASONS}
    assert client.post(url, body).status_code == 302
    review = IdentificationDecision.objects.get(reviews=negative)
    request.refresh_from_db()
    assert request.review == review and review.due_at == request.due_at


def test_request_and_review_through_the_api(client_for, authority, responder, team_case, negative):
    client = client_for(authority)
    url = reverse("api-identification-decision-review-request", args=[team_case.reference, negative.pk])
    created = client.post(url, {"procedure": "reconsideration"}, content_type="application/json")
    assert created.status_code == 201
    [request] = created.json()["review_requests"]
    assert request["procedure"] == "reconsideration" and request["deadline_days"] == 30
    assert request["rulebook"] == "osce-2005" and request["overdue"] is False
    again = client.post(url, {"procedure": "reconsideration"}, content_type="application/json")
    api_error(again, 400, "invalid")
    future = (timezone.now() + datetime.timedelta(days=2)).isoformat()
    assert (
        client.post(
            url, {"procedure": "appeal", "requested_at": future}, content_type="application/json"
        ).status_code
        == 400
    )

    review_url = reverse("api-identification-decision-review", args=[team_case.reference, negative.pk])
    body = {
        "procedure": "reconsideration",
        "outcome": "positive",
        "grounds": ["new_information"],
        "reasons": REASONS,
    }
    done = client.post(review_url, body, content_type="application/json").json()
    assert done["review_requests"] == []
    assert done["decisions"][0]["due_at"] is not None and done["decisions"][0]["deadline_days"] == 30

    # Not the authority: as if there were no such decision.
    other = client_for(responder).post(url, {"procedure": "appeal"}, content_type="application/json")
    assert other.status_code == 404


def test_a_review_with_no_request_before_is_due_from_the_day_said(client_for, authority, team_case, negative):
    client = client_for(authority)
    review_url = reverse("api-identification-decision-review", args=[team_case.reference, negative.pk])
    body = {
        "procedure": "appeal",
        "outcome": "positive",
        "grounds": ["new_information"],
        "reasons": REASONS,
        "requested_at": negative.decided_at.isoformat(),
    }
    assert client.post(review_url, body, content_type="application/json").status_code == 201
    review = IdentificationDecision.objects.get(reviews=negative)
    assert review.request.requested_at == negative.decided_at
    assert review.due_at == negative.decided_at + datetime.timedelta(days=30)


def test_a_request_dated_before_the_decision_is_refused_on_the_page(
    client_for, authority, team_case, negative
):
    url = reverse("identification:decision_review", args=[team_case.reference, negative.pk])
    earlier = (timezone.localdate(negative.decided_at) - datetime.timedelta(days=2)).isoformat()
    response = client_for(authority).post(
        url, {"action": "request", "procedure": "appeal", "requested_on": earlier}
    )
    assert response.status_code == 200 and "cannot be dated before the decision" in response.content.decode()
    assert not ReviewRequest.objects.exists()
