"""Case search by deadline: a closed case's deadlines are paused, so the deadline filters (screen and API)
never match it, whatever its deadlines; re-opened, it matches again. The filter still answers from the
deadline indexes."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from palermo.access.selectors import cases_visible_to
from palermo.cases.filters import CaseFilter
from palermo.cases.models import Case
from palermo.cases.reference import ClosureReason
from palermo.cases.services.lifecycle import case_transition
from palermo.deadlines.services import set_deadline
from palermo.identification.deadlines import PRESUMED_KIND, REVIEW_KIND
from tests.cases.casework import own_case as team_case

pytestmark = pytest.mark.django_db

SEARCH = reverse("cases:search")
API_CASES = reverse("api-cases")


@pytest.fixture
def client(client_for, manager):
    return client_for(manager)


def overdue_and_soon(case: Case) -> None:
    now = timezone.now()
    set_deadline(case=case, kind=PRESUMED_KIND, due_at=now - datetime.timedelta(days=3), source=case)
    set_deadline(case=case, kind=REVIEW_KIND, due_at=now + datetime.timedelta(days=2), source=case)


def transition(manager, case: Case, name: str, **kwargs: str) -> Case:
    case.refresh_from_db()
    return case_transition(
        actor=manager,
        membership=manager.membership,
        case=case,
        name=name,
        expected_version=case.version,
        **kwargs,
    )


def close(manager, case: Case) -> Case:
    return transition(
        manager,
        case,
        "close",
        reason="Assistance completed.",
        closure_reason=ClosureReason.ASSISTANCE_COMPLETED,
    )


def reopen(manager, case: Case) -> Case:
    return transition(manager, case, "reopen", reason="The person asked for help again.")


def found(response) -> set[str]:
    assert response.status_code == 200
    html = response.content.decode()
    if "<tbody>" not in html:
        return set()
    body = html.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    return {chunk.split("</code>", 1)[0] for chunk in body.split("<code>")[1:]}


def api_found(response) -> set[str]:
    assert response.status_code == 200, response.content
    return {row["reference"] for row in response.json()["results"]}


DEADLINE_SEARCHES = [
    {"deadline": "overdue"},
    {"deadline": "due_soon"},
    {"deadline_kind": PRESUMED_KIND},
    {"deadline_kind": REVIEW_KIND},
    {"deadline": "overdue", "deadline_kind": PRESUMED_KIND},
    {"deadline": "due_soon", "deadline_kind": REVIEW_KIND},
]


def test_a_closed_case_matches_no_deadline_search_and_matches_again_once_re_opened(client, manager):
    closed, other = team_case(manager), team_case(manager)
    overdue_and_soon(closed)
    overdue_and_soon(other)
    for criteria in DEADLINE_SEARCHES:
        assert found(client.get(SEARCH, criteria)) == {closed.reference, other.reference}, criteria

    close(manager, closed)
    for criteria in DEADLINE_SEARCHES:
        assert found(client.get(SEARCH, criteria)) == {other.reference}, criteria
        assert api_found(client.get(API_CASES, criteria)) == {other.reference}, criteria
    # Still found by everything else: only the deadline filter pauses.
    assert closed.reference in found(client.get(SEARCH, {"phase": "closed"}))
    assert found(client.get(SEARCH, {"phase": "closed", "deadline": "overdue"})) == set()

    reopen(manager, closed)
    for criteria in DEADLINE_SEARCHES:
        assert found(client.get(SEARCH, criteria)) == {closed.reference, other.reference}, criteria
        assert api_found(client.get(API_CASES, criteria)) == {closed.reference, other.reference}, criteria


def test_the_search_by_deadline_still_answers_from_the_deadline_indexes(manager):
    overdue_and_soon(team_case(manager))
    close(manager, team_case(manager))
    for criteria, index in (
        ({"deadline": "overdue"}, "deadline_open_due"),
        ({"deadline": "due_soon"}, "deadline_open_due"),
        ({"deadline_kind": PRESUMED_KIND}, "deadline_kind_open"),
        ({"deadline": "overdue", "deadline_kind": PRESUMED_KIND}, "deadline_kind_open"),
    ):
        queryset = CaseFilter(criteria, queryset=cases_visible_to(manager.membership)).qs
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL enable_seqscan = off")
        text = queryset.explain()
        assert index in text, text
        if connection.vendor == "sqlite":
            assert "SCAN deadlines_deadline" not in text, text
