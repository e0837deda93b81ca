"""The child's views on identification decisions: required on a child's case (views, or why the child
was not heard), not asked on an adult's. Decision guards refuse; listeners hear of each decision once
committed."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from palermo.core.decisions import (
    DecisionSubject,
    register_guard,
    register_listener,
    remove_guard,
    remove_listener,
)
from palermo.identification.models import IdentificationDecision
from palermo.identification.services.decisions import DecisionInput, decision_take
from palermo.identification.services.reviews import decision_review
from tests.api.errors import api_error

from .conftest import note

pytestmark = pytest.mark.django_db

REASONS = "The indicators of deception and coercion at destination are met; the account is consistent."


def take(authority, case, **child):
    return decision_take(
        actor=authority,
        membership=authority.membership,
        case=case,
        kind="presumed",
        data=DecisionInput("positive", ["indicators"], REASONS, **child),
    )


@pytest.fixture
def child_case(make_case, responder, authority):
    return make_case(team=(responder, authority), is_child=True)


def test_a_childs_case_needs_the_childs_views_or_why_not_heard(child_case, authority):
    with pytest.raises(ValidationError) as missing:
        take(authority, child_case)
    assert "child_views" in missing.value.message_dict
    with pytest.raises(ValidationError) as no_age:
        take(authority, child_case, child_views=note())
    assert "child_age_when_heard" in no_age.value.message_dict
    assert not IdentificationDecision.objects.exists()

    views = note().strip()
    decision = take(
        authority, child_case, child_views=views, child_age_when_heard=15, child_interpreter="Tigrinya"
    )
    stored = IdentificationDecision.objects.get(pk=decision.pk)
    assert (stored.child_views, stored.child_age_when_heard, stored.child_interpreter) == (
        views,
        15,
        "Tigrinya",
    )


def test_a_review_on_a_childs_case_needs_them_too(child_case, authority):
    first = take(authority, child_case, child_not_heard_reason="The child was in hospital.")
    with pytest.raises(ValidationError) as missing:
        decision_review(
            actor=authority,
            membership=authority.membership,
            original=first,
            procedure="reconsideration",
            data=DecisionInput("negative", ["elements_not_met"], "The elements were not met."),
        )
    assert "child_views" in missing.value.message_dict


def test_an_adults_case_asks_nothing_and_keeps_nothing(team_case, authority):
    decision = take(authority, team_case, child_views="stray text", child_age_when_heard=12)
    stored = IdentificationDecision.objects.get(pk=decision.pk)
    assert stored.child_views == "" and stored.child_age_when_heard is None


def test_the_form_asks_on_a_childs_case_only(client_for, child_case, team_case, authority):
    client = client_for(authority)
    url = reverse("identification:decisions", args=[child_case.reference])
    assert "child_not_heard_reason" in client.get(url).content.decode()
    body = {"kind": "presumed", "outcome": "positive", "grounds": ["indicators"], "reasons": REASONS}
    refused = client.post(url, body)
    assert refused.status_code == 200 and "record the child" in refused.content.decode()
    assert not IdentificationDecision.objects.exists()
    accepted = client.post(url, {**body, "child_views": note(), "child_age_when_heard": "16"})
    assert accepted.status_code == 302 and IdentificationDecision.objects.filter(case=child_case).count() == 1

    adult_url = reverse("identification:decisions", args=[team_case.reference])
    assert "child_not_heard_reason" not in client.get(adult_url).content.decode()
    assert client.post(adult_url, body).status_code == 302


def test_the_api_refuses_a_childs_decision_without_the_childs_views(client_for, child_case, authority):
    client = client_for(authority)
    url = reverse("api-identification-decisions", args=[child_case.reference])
    body = {"kind": "presumed", "outcome": "positive", "grounds": ["indicators"], "reasons": REASONS}
    refused = client.post(url, body, content_type="application/json")
    assert "child_views" in api_error(refused, 400, "invalid")["fields"]
    views = note().strip()
    created = client.post(
        url, {**body, "child_views": views, "child_age_when_heard": 14}, content_type="application/json"
    )
    assert created.status_code == 201
    decision = created.json()["decisions"][0]
    assert decision["child_views"] == views and decision["child_age_when_heard"] == 14


def test_a_guard_refuses_the_decision(team_case, authority):
    def guard(case, subject):
        return "A test guard says no." if subject == DecisionSubject.IDENTIFICATION else None

    register_guard(guard)
    try:
        with pytest.raises(ValidationError) as blocked:
            take(authority, team_case)
    finally:
        remove_guard(guard)
    assert blocked.value.code == "blocked" and not IdentificationDecision.objects.exists()


def test_listeners_hear_of_each_decision_once_committed(
    team_case, authority, django_capture_on_commit_callbacks
):
    heard = []
    register_listener(heard.append)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            decision = take(authority, team_case)
            assert heard == []
    finally:
        remove_listener(heard.append)
    assert [(e.subject, e.object_id, e.label) for e in heard] == [
        (DecisionSubject.IDENTIFICATION, decision.pk, "Presumed victim decision: positive")
    ]
    # Said in the deployment's language, and kept by its message so that each reader reads it in theirs.
    assert heard[0].label.message == "Presumed victim decision: positive"
