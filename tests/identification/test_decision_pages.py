"""Decision and legal pages: the authority decides, others read the outcome, reasons stay at T4."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from palermo.accounts.roles import Role
from palermo.audit.models import AuditEvent
from palermo.identification.models import IdentificationDecision, LegalElements
from palermo.identification.services.decisions import DecisionInput, decision_take
from palermo.identification.services.reviews import review_request_record
from tests.queries import Queries

from .conftest import note

pytestmark = pytest.mark.django_db

REASONS = "The indicators of deception and of coercion at destination are met; the account is consistent."


def decisions_url(case) -> str:
    return reverse("identification:decisions", args=[case.reference])


def test_the_authority_takes_the_presumed_victim_decision(client_for, authority, team_case):
    client = client_for(authority)
    page = client.get(decisions_url(team_case)).content.decode()
    assert (
        "Take a decision" in page
        and "cooperation" not in page.split("Take a decision")[1].split("Reasons")[0]
    )
    response = client.post(
        decisions_url(team_case),
        {"kind": "presumed", "outcome": "positive", "grounds": ["indicators", "account"], "reasons": REASONS},
    )
    assert response.status_code == 302
    decision = IdentificationDecision.objects.get()
    assert (decision.kind, decision.outcome, decision.decided_by) == ("presumed", "positive", authority)
    page = client.get(decisions_url(team_case)).content.decode()
    assert REASONS in page and "Identified victim (conclusive grounds)" in page


def test_the_form_refuses_a_cooperation_condition(client_for, authority, team_case):
    response = client_for(authority).post(
        decisions_url(team_case),
        {
            "kind": "presumed",
            "outcome": "negative",
            "grounds": ["account"],
            "reasons": "Negative because the person refused to cooperate with the police.",
        },
    )
    assert response.status_code == 200
    assert "never conditional on the person" in response.content.decode()
    assert not IdentificationDecision.objects.exists()


def test_others_read_the_outcome_but_not_the_reasons(client_for, make_member, make_case, authority):
    migration = make_member(Role.MIGRATION_OFFICER)
    case = make_case(team=(authority, migration))
    decision_take(
        actor=authority,
        membership=authority.membership,
        case=case,
        kind="presumed",
        data=DecisionInput("positive", ["indicators"], REASONS),
    )
    client = client_for(migration)
    page = client.get(decisions_url(case)).content.decode()
    assert "Positive" in page and REASONS not in page and "Take a decision" not in page
    assert client.post(decisions_url(case), {"kind": "identified"}).status_code == 404
    overview = client.get(reverse("identification:case", args=[case.reference])).content.decode()
    assert "Identified victim (conclusive grounds)" in overview
    assert reverse("identification:screenings", args=[case.reference]) not in overview


def test_a_reason_read_is_on_the_record(client_for, authority, team_case):
    client_for(authority).get(decisions_url(team_case))
    assert AuditEvent.objects.filter(
        actor=authority, action="case.read", tier=4, reason="decision reasons"
    ).exists()


def test_reconsideration_from_the_page(client_for, authority, team_case):
    first = decision_take(
        actor=authority,
        membership=authority.membership,
        case=team_case,
        kind="presumed",
        data=DecisionInput(
            "negative", ["elements_not_met"], "The elements were not met on the information held."
        ),
    )
    client = client_for(authority)
    url = reverse("identification:decision_review", args=[team_case.reference, first.pk])
    response = client.post(
        url,
        {
            "procedure": "reconsideration",
            "outcome": "positive",
            "grounds": ["new_information"],
            "reasons": REASONS,
        },
    )
    assert response.status_code == 302
    assert IdentificationDecision.objects.get(reviews=first).outcome == "positive"
    assert client.get(url).status_code == 404  # the first decision no longer stands


@pytest.mark.parametrize("role", [Role.SERVICE_PROVIDER, Role.IDENTIFICATION_AUTHORITY])
def test_outsiders_get_404(client_for, make_member, team_case, role):
    client = client_for(make_member(role))  # not on the case team
    for name in ("identification:decisions", "identification:case", "identification:legal"):
        assert client.get(reverse(name, args=[team_case.reference])).status_code == 404


def test_the_awaiting_list_costs_the_same_whatever_its_length(
    client_for, make_case, authority, responder, django_assert_num_queries
):
    client = client_for(authority)
    url = reverse("identification:awaiting")
    make_case(team=(responder, authority))
    client.get(url)
    with Queries() as few:
        client.get(url)
    cases = [make_case(team=(responder, authority)) for _ in range(6)]
    decision_take(
        actor=authority,
        membership=authority.membership,
        case=cases[0],
        kind="presumed",
        data=DecisionInput("positive", ["indicators"], REASONS),
    )
    negative = [
        decision_take(
            actor=authority,
            membership=authority.membership,
            case=case,
            kind="presumed",
            data=DecisionInput("negative", ["elements_not_met"], "The elements are not met."),
        )
        for case in cases[1:3]
    ]
    # The person asks for the second negative decision to be reconsidered: that review is due.
    review_request_record(
        actor=authority, membership=authority.membership, original=negative[1], procedure="reconsideration"
    )
    with django_assert_num_queries(len(few.captured_queries)):
        page = client.get(url).content.decode()
    everything = page.split('id="all-due"')[1]
    assert everything.count('href="/identification/cases/') == 12  # 6 rows, each its case and its action
    # the negative one awaits nothing; the one reconsidered awaits its review
    assert cases[1].reference not in page
    assert "Identified victim (conclusive grounds)" in page
    assert cases[2].reference in everything
    assert "Reconsideration: Presumed victim (reasonable grounds)" in everything


def test_the_legal_page_saves_each_form(client_for, responder, team_case):
    client = client_for(responder)
    url = reverse("identification:legal", args=[team_case.reference])
    page = client.get(url).content.decode()
    assert "Abuse of a position of vulnerability" in page and "Not required for a child" in page
    client.post(
        url,
        {"form": "elements", "acts": ["recruitment"], "means": ["deception"], "purposes": ["forced_labour"]},
    )
    assert LegalElements.objects.get().acts == ["recruitment"]
    assert "The elements recorded meet the definition." in client.get(url).content.decode()
    client.post(url, {"form": "differentiation", "situation": "trafficking", "reasons": note()})
    client.post(
        url,
        {
            "form": "age",
            "method": "documents",
            "conclusion": "adult",
            "assessed_on": (timezone.localdate() - datetime.timedelta(days=1)).isoformat(),
            "assessor": "Civil registry",
        },
    )
    assert team_case.differentiations.count() == 1 and team_case.age_assessments.count() == 1
    stale = client.post(url, {"form": "elements", "acts": [], "version": 0})
    assert "nothing was saved" in stale.content.decode()


def test_the_guardian_reads_the_legal_page_but_does_not_write(client_for, make_member, make_case, responder):
    guardian = make_member(Role.GUARDIAN)
    case = make_case(team=(responder, guardian), is_child=True)
    client = client_for(guardian)
    url = reverse("identification:legal", args=[case.reference])
    page = client.get(url).content.decode()
    assert "treated as a child" in page and "Save the legal elements" not in page
    assert (
        client.post(url, {"form": "differentiation", "situation": "trafficking", "reasons": "x"}).status_code
        == 404
    )
