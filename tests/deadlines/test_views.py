"""The "due and overdue" screen: scope per persona, grouping, links to the place to act, filters, queries."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from palermo.accounts.roles import Role
from palermo.deadlines.kinds import register_kind
from palermo.deadlines.selectors import Day
from palermo.deadlines.services import complete_deadlines
from palermo.deadlines.worklist import place_to_act
from tests.cases.casework import make_case, put_on_team
from tests.deadlines.clockwork import DECIDE, REVIEW, due

pytestmark = pytest.mark.django_db

URL = reverse("deadlines:due")


@pytest.fixture
def day():
    return Day.of()


def references(response) -> list[str]:
    return re.findall(r"<code>([^<]+)</code>", response.content.decode())


def test_the_screen_groups_my_deadlines_by_urgency_soonest_first(client_for, manager, day):
    agency = manager.membership.agency
    cases = {offset: make_case(agency) for offset in (20, 3, 0, -4)}
    for offset, case in cases.items():
        due(case, day, offset, user=manager)
    response = client_for(manager).get(URL)
    assert response.status_code == 200
    page = response.content.decode()
    headings = re.findall(r'<h2 class="h5" id="due-(\w+)">', page)
    assert headings == ["overdue", "today", "week", "later"]
    assert references(response) == [cases[offset].reference for offset in (-4, 0, 3, 20)]
    overdue_row = page.split('class="deadline-overdue"')[1].split("</tr>")[0]
    assert ">4<" in overdue_row  # days over
    assert "Decide on the test matter" in overdue_row


def test_each_row_links_to_the_place_to_act(client_for, manager, day):
    case = make_case(manager.membership.agency)
    due(case, day, 1, user=manager)
    due(case, day, 2, kind=REVIEW, user=manager)
    page = client_for(manager).get(URL).content.decode()
    assert f'href="{reverse("cases:timeline", args=[case.reference])}"' in page  # the kind's own page
    assert f'href="{reverse("cases:detail", args=[case.reference])}"' in page  # a kind without one


def test_same_agency_sees_the_agency_scope_and_another_agency_sees_nothing(
    client_for, make_member, manager, day
):
    agency = manager.membership.agency
    case = make_case(agency)
    put_on_team(case, manager, whole_agency=False)
    due(case, day, -1)
    colleague = make_member(Role.CASE_MANAGER, agency=agency)
    stranger = make_member(Role.CASE_MANAGER)
    due(make_case(agency), day, 2, kind=REVIEW, user=stranger)  # named, but on a case they cannot see

    assert references(client_for(manager).get(URL)) == [case.reference]
    colleague_client = client_for(colleague)
    assert references(colleague_client.get(URL)) == []
    assert len(references(colleague_client.get(URL, {"scope": "agency"}))) == 2
    stranger_client = client_for(stranger)
    for scope in ("mine", "agency"):
        response = stranger_client.get(URL, {"scope": scope})
        assert response.status_code == 200 and references(response) == []
        assert "Nothing is due." in response.content.decode()


def test_the_kind_filter_narrows_and_a_bad_kind_is_explained(client_for, manager, day):
    agency = manager.membership.agency
    decide_case, review_case = make_case(agency), make_case(agency)
    due(decide_case, day, 1, user=manager)
    due(review_case, day, 1, kind=REVIEW, user=manager)
    client = client_for(manager)
    assert references(client.get(URL, {"kind": DECIDE})) == [decide_case.reference]
    assert references(client.get(URL, {"kind": REVIEW})) == [review_case.reference]
    response = client.get(URL, {"kind": "no.such_kind", "scope": "everyone"})
    assert response.status_code == 200
    assert response.content.decode().count("invalid-feedback") == 2
    assert len(references(response)) == 2  # a bad filter filters nothing


def test_done_deadlines_are_not_on_the_screen(client_for, manager, day):
    case = make_case(manager.membership.agency)
    due(case, day, -3, user=manager)
    complete_deadlines(case)
    assert references(client_for(manager).get(URL)) == []


@pytest.mark.parametrize("count", [2, 30])
def test_the_screen_costs_the_same_queries_for_few_or_many(
    client_for, manager, day, django_assert_num_queries, count
):
    agency = manager.membership.agency
    for index in range(count):
        due(make_case(agency), day, index - 10, user=manager, agency=agency)
    client = client_for(manager)
    client.get(URL)  # warm the session's caches
    with django_assert_num_queries(8):
        response = client.get(URL, {"scope": "mine"})
    assert len(references(response)) == count


def test_the_screen_pages_its_rows(client_for, manager, day):
    agency = manager.membership.agency
    for index in range(53):
        due(make_case(agency), day, index, user=manager)
    client = client_for(manager)
    first, second = client.get(URL), client.get(URL, {"page": 2})
    assert len(references(first)) == 50 and len(references(second)) == 3
    assert "Page 1 of 2" in first.content.decode()


def test_the_navigation_offers_the_screen_to_case_roles_only(client_for, manager, make_member):
    page = client_for(manager).get(reverse("core:home")).content.decode()
    assert f'href="{URL}"' in page
    rapporteur = make_member(Role.RAPPORTEUR)
    client = client_for(rapporteur)
    assert f'href="{URL}"' not in client.get(reverse("core:home")).content.decode()
    assert client.get(URL).status_code in (403, 404)


def test_a_kind_whose_page_is_gone_links_to_the_case(manager, day):
    register_kind("tests.orphan", "A kind whose area's page was removed", url_name="nowhere:section")
    case = make_case(manager.membership.agency)
    deadline = due(case, day, 1, kind="tests.orphan")
    assert place_to_act(deadline) == reverse("cases:detail", args=[case.reference])
