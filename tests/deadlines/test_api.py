"""GET /api/v1/deadlines/: the screen's scope, with status, kind and case filters, in constant queries."""

from __future__ import annotations

import pytest
from django.urls import reverse

from palermo.accounts.roles import Role
from palermo.deadlines.selectors import Day
from palermo.deadlines.services import complete_deadlines
from tests.api.errors import api_error
from tests.cases.casework import make_case, put_on_team
from tests.deadlines.clockwork import DECIDE, REVIEW, due

pytestmark = pytest.mark.django_db

URL = reverse("api-deadlines")


@pytest.fixture
def day():
    return Day.of()


def ids(response) -> list[int]:
    assert response.status_code == 200, response.content
    return [row["id"] for row in response.json()["results"]]


def test_statuses_filter_by_urgency(client_for, manager, day):
    agency = manager.membership.agency
    overdue = due(make_case(agency), day, -2, user=manager)
    today = due(make_case(agency), day, 0, user=manager)
    later = due(make_case(agency), day, 12, user=manager)
    done = due(make_case(agency), day, -9, user=manager)
    complete_deadlines(done.case)
    client = client_for(manager)
    assert ids(client.get(URL)) == [done.pk, overdue.pk, today.pk, later.pk]
    assert ids(client.get(URL, {"status": "overdue"})) == [overdue.pk]
    assert ids(client.get(URL, {"status": "due_soon"})) == [today.pk]
    assert ids(client.get(URL, {"status": "open"})) == [overdue.pk, today.pk, later.pk]
    assert ids(client.get(URL, {"status": "done"})) == [done.pk]
    row = client.get(URL, {"status": "overdue"}).json()["results"][0]
    assert row["case"] == overdue.case.reference
    assert row["kind"] == DECIDE and row["kind_label"] == "Decide on the test matter"
    assert row["urgency"] == "overdue" and row["days_over"] == 2
    assert row["responsible_username"] == manager.username and row["responsible_agency_name"] is None
    assert row["responsible_display_name"] == manager.display_name  # for display; the username for machines


def test_kind_case_and_scope_filters(client_for, make_member, manager, day):
    agency = manager.membership.agency
    case = make_case(agency)
    put_on_team(case, manager, whole_agency=False)
    decide = due(case, day, 1)
    review = due(case, day, 2, kind=REVIEW)
    agency_only = due(make_case(agency), day, 3, agency=agency)
    client = client_for(manager)
    assert ids(client.get(URL, {"kind": REVIEW})) == [review.pk]
    assert ids(client.get(URL, {"case": case.reference, "kind": DECIDE})) == [decide.pk]
    assert ids(client.get(URL, {"case": "NO-SUCH-REF"})) == []
    refused = client.get(URL, {"kind": "deadline.no_such_kind"})  # a typo: refused, not an empty list
    assert refused.status_code == 400 and "kind" in refused.json()["error"]["fields"]
    assert ids(client.get(URL, {"scope": "agency"})) == [decide.pk, review.pk, agency_only.pk]
    assert ids(client.get(URL, {"scope": "agency", "case": agency_only.case.reference})) == [agency_only.pk]


def test_another_agency_gets_nothing_even_when_named_responsible(client_for, make_member, manager, day):
    stranger = make_member(Role.CASE_MANAGER)
    case = make_case(manager.membership.agency)
    due(case, day, -1, user=stranger, agency=stranger.membership.agency)
    client = client_for(stranger)
    for scope in ("mine", "agency"):
        assert ids(client.get(URL, {"scope": scope})) == []
    assert ids(client.get(URL, {"case": case.reference, "scope": "agency"})) == []


def test_bad_filters_are_refused_with_the_reason(client_for, manager):
    client = client_for(manager)
    response = client.get(URL, {"status": "late", "scope": "world"})
    error = api_error(response, 400, "invalid")
    assert set(error["fields"]) == {"status", "scope"}
    assert "late" not in response.content.decode() and "world" not in response.content.decode()


@pytest.mark.parametrize("count", [2, 30])
def test_the_list_costs_the_same_queries_for_few_or_many(
    client_for, manager, day, django_assert_num_queries, count
):
    agency = manager.membership.agency
    for index in range(count):
        due(make_case(agency), day, index - 5, user=manager, agency=agency)
    client = client_for(manager)
    client.get(URL)
    with django_assert_num_queries(7):
        response = client.get(URL, {"status": "open"})
    assert len(ids(response)) == count
