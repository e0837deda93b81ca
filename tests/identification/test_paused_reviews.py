"""A closed case's requested reviews are paused like its due decisions: shown as paused, not overdue, on the
case page's section, the decisions page, the review page and through the API; re-opening the case brings
"overdue" back. Knowing whether a request is paused costs no query per request."""

from __future__ import annotations

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from palermo.accounts.models import User
from palermo.cases.models import Case
from palermo.cases.services.lifecycle import case_transition
from palermo.identification.models import IdentificationDecision, ReviewRequest
from palermo.identification.selectors import review_requests_of
from palermo.identification.services.decisions import DecisionInput, decision_take
from palermo.identification.services.reviews import review_request_record
from tests.queries import Queries

pytestmark = pytest.mark.django_db

PAUSED = "(paused while the case is closed)"
OVERDUE = "(overdue)"
REVIEW_LINE = re.compile(r"<li[^>]*>Due: Appeal of the [^<]*decision[^<]*<time[^>]*>[^<]*</time>([^<]*)</li>")


def decide(authority: User, case: Case, kind: str, outcome: str) -> IdentificationDecision:
    return decision_take(
        actor=authority,
        membership=authority.membership,
        case=case,
        kind=kind,
        data=DecisionInput(
            outcome, ["indicators"] if outcome == "positive" else ["elements_not_met"], "Weighed."
        ),
    )


def overdue_appeal(authority: User, decision: IdentificationDecision) -> ReviewRequest:
    """An appeal of the decision, its due date passed (set directly: the rulebook's period is 30 days)."""
    request = review_request_record(
        actor=authority, membership=authority.membership, original=decision, procedure="appeal"
    )
    request.due_at = timezone.now() - datetime.timedelta(days=1)
    ReviewRequest.objects.filter(pk=request.pk).update(due_at=request.due_at)
    return request


@pytest.fixture
def appealed(team_case: Case, authority: User) -> Case:
    """A negative presumed victim decision whose appeal is overdue: the only thing due on the case."""
    overdue_appeal(authority, decide(authority, team_case, "presumed", "negative"))
    return team_case


def close(authority: User, case: Case) -> Case:
    case = Case.objects.get(pk=case.pk)
    return case_transition(
        actor=authority,
        membership=authority.membership,
        case=case,
        name="close",
        expected_version=case.version,
        reason="The person declined further assistance.",
        closure_reason="declined",
    )


def reopen(authority: User, case: Case) -> Case:
    return case_transition(
        actor=authority,
        membership=authority.membership,
        case=case,
        name="reopen",
        expected_version=case.version,
        reason="The person asked for assistance again.",
    )


def review_state(client, url: str) -> str:
    """What follows the appeal's due date on the page: the paused or overdue note, or nothing."""
    response = client.get(url)
    assert response.status_code == 200
    [state] = REVIEW_LINE.findall(response.content.decode())
    return state.strip()


@pytest.mark.parametrize("page", ["cases:detail_full", "identification:decisions"])
def test_a_closed_case_shows_its_overdue_review_as_paused_until_re_opened(
    client_for, authority, appealed, page
):
    client = client_for(authority)
    url = reverse(page, args=[appealed.reference])
    assert review_state(client, url) == OVERDUE
    closed = close(authority, appealed)
    assert review_state(client, url) == PAUSED
    reopen(authority, closed)
    assert review_state(client, url) == OVERDUE
    assert ReviewRequest.objects.filter(case=appealed, review__isnull=True).count() == 1


def test_the_review_page_shows_the_open_request_as_paused_on_a_closed_case(client_for, authority, appealed):
    decision = IdentificationDecision.objects.get(case=appealed)
    url = reverse("identification:decision_review", args=[appealed.reference, decision.pk])
    client = client_for(authority)
    assert OVERDUE in client.get(url).content.decode()
    close(authority, appealed)
    html = client.get(url).content.decode()
    assert PAUSED in html and OVERDUE not in html and "text-danger" not in html


def test_the_api_reports_pending_decisions_and_reviews_as_paused_not_overdue(
    client_for, authority, team_case
):
    """A positive presumed victim decision long past: the identified victim decision and an appeal due."""
    presumed = decide(authority, team_case, "presumed", "positive")
    IdentificationDecision.objects.filter(pk=presumed.pk).update(
        decided_at=timezone.now() - datetime.timedelta(days=400)
    )
    overdue_appeal(authority, presumed)
    client = client_for(authority)
    url = reverse("api-identification-decisions", args=[team_case.reference])

    def states() -> list[tuple[bool, bool]]:
        document = client.get(url).json()
        items = document["pending"] + document["review_requests"]
        assert len(items) == 2
        return [(item["overdue"], item["paused"]) for item in items]

    assert states() == [(True, False), (True, False)]
    closed = close(authority, team_case)
    assert states() == [(False, True), (False, True)]
    reopen(authority, closed)
    assert states() == [(True, False), (True, False)]


def test_whether_requests_are_paused_costs_no_query_per_request(
    authority, team_case, django_assert_num_queries
):
    presumed = decide(authority, team_case, "presumed", "positive")
    overdue_appeal(authority, presumed)
    overdue_appeal(authority, decide(authority, team_case, "identified", "positive"))
    closed = close(authority, team_case)
    with django_assert_num_queries(1):
        requests = list(review_requests_of(closed, open_only=True))
        assert [r.paused for r in requests] == [True, True]
        assert not any(r.overdue for r in requests)
        assert {r.decision.kind for r in requests} == {"presumed", "identified"}


@pytest.mark.parametrize("page", ["cases:detail_full", "identification:decisions"])
def test_a_closed_case_page_costs_the_same_queries_with_one_or_two_requests(
    client_for, authority, team_case, page
):
    presumed = decide(authority, team_case, "presumed", "positive")
    identified = decide(authority, team_case, "identified", "positive")
    overdue_appeal(authority, presumed)
    close(authority, team_case)
    client = client_for(authority)
    url = reverse(page, args=[team_case.reference])

    def queries() -> int:
        with Queries() as captured:
            html = client.get(url).content.decode()
        assert PAUSED in html and OVERDUE not in html
        return len(captured)

    queries()  # the first read warms what is cached per process
    one = queries()
    overdue_appeal(authority, identified)
    assert queries() == one
