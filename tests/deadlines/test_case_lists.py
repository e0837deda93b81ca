"""The lists of cases say what is due next on each case (palermo.deadlines.worklist, palermo.cases.worklist):
My cases and the case search show each case's soonest open deadline in words, with the days left or over,
and lead to where it is done; what the reader's lists leave out (done, another agency's duty, a closed case)
is left out here too, at one query for the page."""

from __future__ import annotations

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.formats import date_format

from palermo.cases import filters
from palermo.cases.views import cases as case_views
from palermo.deadlines.kinds import register_kind
from palermo.deadlines.selectors import Day
from palermo.deadlines.services import complete_deadlines
from tests.cases.casework import make_case, put_on_team, team_case
from tests.deadlines.clockwork import REVIEW, close_case, due
from tests.factories import AgencyFactory
from tests.queries import assert_constant_queries

pytestmark = pytest.mark.django_db

MY_CASES = reverse("cases:mine")
DUTY = "tests.duty"
register_kind(DUTY, "Offer the test entitlement", agency_duty=True)


@pytest.fixture
def day():
    return Day.of()


def row_of(page: str, reference: str) -> str:
    """The list's row of one case, its tags dropped and its spaces made single."""
    row = page.split(f"<code>{reference}</code>")[1].split("</tr>")[0]
    return " ".join(re.sub(r"<[^>]+>", " ", row).split())


def test_my_cases_say_what_is_due_next_on_each_case_and_lead_to_it(client_for, manager, day):
    overdue, today, tomorrow, later, idle = (team_case(manager) for _ in range(5))
    due(overdue, day, -3)
    due(overdue, day, 5, kind=REVIEW)  # not the soonest
    due(today, day, 0, kind=REVIEW)
    due(tomorrow, day, 1)
    due(later, day, 12, kind=REVIEW)
    page = client_for(manager).get(MY_CASES).content.decode()
    assert "Next deadline" in page
    date = date_format(day.today - datetime.timedelta(days=3))
    assert f"Decide on the test matter ({overdue.reference}) Overdue by 3 days (due {date})" in row_of(
        page, overdue.reference
    )
    assert "Review the test plan" not in row_of(page, overdue.reference)
    assert f"Review the test plan ({today.reference}) Due today ({date_format(day.today)})" in row_of(
        page, today.reference
    )
    assert "Due in 1 day (" in row_of(page, tomorrow.reference)
    assert "Due in 12 days (" in row_of(page, later.reference)
    assert "Nothing open" in row_of(page, idle.reference)
    # The kind's own page for the case, where the work is done; the case page for a kind without one.
    assert f'href="{reverse("cases:timeline", args=[overdue.reference])}"' in page
    assert f'href="{reverse("cases:detail", args=[today.reference])}">Review the test plan' in page


def test_what_is_done_another_agency_s_duty_and_a_closed_case_are_not_next(client_for, manager, day):
    agency = manager.membership.agency
    done, duties, closed = (team_case(manager) for _ in range(3))
    due(done, day, -1, kind=REVIEW)
    complete_deadlines(done, REVIEW)
    due(done, day, 4)
    due(duties, day, -2, kind=DUTY, agency=AgencyFactory())  # another agency's to offer
    due(duties, day, 6, kind=DUTY, agency=agency)  # this agency's own
    due(closed, day, -1)
    close_case(manager, closed)
    page = client_for(manager).get(MY_CASES).content.decode()
    assert "Decide on the test matter" in row_of(page, done.reference)
    assert "Due in 4 days" in row_of(page, done.reference)
    assert "Offer the test entitlement" in row_of(page, duties.reference)
    assert "Due in 6 days" in row_of(page, duties.reference)
    assert "Nothing open" in row_of(page, closed.reference)


def test_the_case_search_says_it_too(client_for, manager, day):
    case = make_case(AgencyFactory())  # another agency's case this reader may find
    put_on_team(case, manager)
    due(case, day, 2)
    response = client_for(manager).get(reverse("cases:search"), {"reference": case.reference})
    assert "Decide on the test matter" in row_of(response.content.decode(), case.reference)


def test_the_words_are_in_the_reader_s_language(client_for, manager, day):
    case = team_case(manager)
    due(case, day, -2)
    client = client_for(manager)
    with translation.override("ar"):
        page = client.get(MY_CASES, HTTP_ACCEPT_LANGUAGE="ar").content.decode()
    assert "الموعد النهائي التالي" in page
    assert "متأخر يومين" in row_of(page, case.reference)


def cases_with_deadlines(manager, day):
    """For a query count: adds `count` team cases, each with two open deadlines, the first of some overdue."""

    def add(count: int) -> None:
        for offset in range(count):
            case = team_case(manager)
            due(case, day, offset - 3)
            due(case, day, offset, kind=REVIEW)

    return add


def test_one_query_gives_the_next_deadline_of_every_case_on_the_page(client_for, manager, day):
    client = client_for(manager)
    page = assert_constant_queries(lambda: client.get(MY_CASES), cases_with_deadlines(manager, day))
    assert page.content.decode().count("Decide on the test matter") == 30


def test_without_the_deadlines_area_a_list_shows_nothing_due(client_for, manager, day, monkeypatch):
    case = team_case(manager)
    due(case, day, 1)
    monkeypatch.setattr(filters, "_DEADLINE_SEARCH", [])
    page = client_for(manager).get(MY_CASES).content.decode()
    assert "Nothing open" in row_of(page, case.reference)


def test_the_api_lists_of_cases_carry_the_next_deadline_too(client_for, manager, day):
    overdue, idle = team_case(manager), team_case(manager)
    due(overdue, day, -2, kind=REVIEW)
    due(overdue, day, 3)
    client = client_for(manager)
    expected = {
        "kind": REVIEW,
        "kind_label": "Review the test plan",
        "due": (day.today - datetime.timedelta(days=2)).isoformat(),
        "days_left": -2,
    }
    for answer in (
        client.get(reverse("api-cases-mine")).json(),
        client.get(reverse("api-cases")).json(),
        client.post(
            reverse("api-cases-search"), {"phase": overdue.phase}, content_type="application/json"
        ).json(),
    ):
        rows = {row["reference"]: row for row in answer["results"]}
        assert rows[overdue.reference]["next_deadline"] == expected
        assert rows[idle.reference]["next_deadline"] is None


def references_in_order(page: str) -> list[str]:
    return re.findall(r"<code>(NRM-[^<]+)</code>", page)


def test_my_cases_can_be_sorted_by_the_soonest_next_deadline(client_for, manager, day):
    # Made oldest first, so "newest first" lists them the other way round.
    closed, idle, later, overdue, duty_only, soon = (team_case(manager) for _ in range(6))
    due(closed, day, -30)  # kept open on the case, but a closed case waits for nothing
    close_case(manager, closed)
    due(later, day, 9)
    due(overdue, day, -4)
    due(overdue, day, 20, kind=REVIEW)
    due(duty_only, day, -9, kind=DUTY, agency=AgencyFactory())  # another agency's duty: not this reader's
    due(soon, day, 1)
    client = client_for(manager)
    newest = references_in_order(client.get(MY_CASES).content.decode())
    assert newest == [case.reference for case in (soon, duty_only, overdue, later, idle, closed)]
    page = client.get(MY_CASES, {"order": "next_deadline"}).content.decode()
    # Overdue first, then by due day; the cases with nothing open (for this reader) last, newest first.
    waiting = (overdue, soon, later, duty_only, idle, closed)
    assert references_in_order(page) == [case.reference for case in waiting]
    assert '<option value="next_deadline" selected>Next deadline first</option>' in page
    assert "Cases, the soonest next deadline first" in page
    # An order the page does not know lists newest first, as without one.
    assert references_in_order(client.get(MY_CASES, {"order": "nonsense"}).content.decode()) == newest


def test_the_order_is_kept_from_page_to_page(client_for, manager, day, monkeypatch):
    for offset in range(3):
        due(team_case(manager), day, offset)
    monkeypatch.setattr(case_views, "PAGE_SIZE", 2)
    page = client_for(manager).get(MY_CASES, {"order": "next_deadline"}).content.decode()
    assert "?order=next_deadline&amp;page=2" in page


def test_sorting_by_the_next_deadline_costs_no_query_more_per_case(client_for, manager, day):
    client = client_for(manager)
    add = cases_with_deadlines(manager, day)
    page = assert_constant_queries(lambda: client.get(MY_CASES, {"order": "next_deadline"}), add)
    assert page.content.decode().count("Decide on the test matter") == 30
    api = reverse("api-cases-mine")
    assert_constant_queries(lambda: client.get(api, {"order": "next_deadline"}), add, few=30, many=33)


def test_the_api_sorts_my_cases_by_the_next_deadline_and_refuses_an_unknown_order(client_for, manager, day):
    idle, later, overdue = (team_case(manager) for _ in range(3))
    due(later, day, 5)
    due(overdue, day, -1)
    client = client_for(manager)
    api = reverse("api-cases-mine")
    answer = client.get(api, {"order": "next_deadline"}).json()
    assert [row["reference"] for row in answer["results"]] == [
        overdue.reference,
        later.reference,
        idle.reference,
    ]
    assert next(row["reference"] for row in client.get(api).json()["results"]) == overdue.reference  # newest
    refused = client.get(api, {"order": "soonest"})
    assert refused.status_code == 400
    assert "order" in refused.json()["error"]["fields"]
