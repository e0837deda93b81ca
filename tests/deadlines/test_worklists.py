"""The due list as a worklist: counts, grouped by case and by kind, the case facets, the person's name where
the reader may read it (a recorded read), the home page's panel, the same in the API, and queries that stay
constant with the number of cases."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from palermo.accounts.roles import Role
from palermo.audit.models import AuditEvent
from palermo.cases.reference import ExploitationForm
from palermo.deadlines.kinds import register_kind
from palermo.deadlines.models import Deadline
from palermo.deadlines.selectors import (
    Day,
    Status,
    another_agency_s,
    counts_by_case,
    counts_by_kind,
    due_deadlines,
    urgency_counts,
)
from tests.api.errors import api_error
from tests.cases.casework import add_person, make_case, own_case, put_on_team, team_case
from tests.deadlines.clockwork import DECIDE, REVIEW, due, noon
from tests.factories import AgencyFactory
from tests.queries import assert_constant_queries

pytestmark = pytest.mark.django_db

URL = reverse("deadlines:due")
HOME = reverse("core:home")


@pytest.fixture
def day():
    return Day.of()


def references(html: str) -> list[str]:
    return re.findall(r"<code>([^<]+)</code>", html)


def name_of(person) -> str:
    return f"{person.given_names} {person.family_names}"


def worked_cases(manager, day, count: int) -> list:
    """`count` cases on the manager's team, each with a person and two deadlines (one overdue)."""
    cases = []
    for index in range(count):
        case = team_case(manager, forms=(ExploitationForm.FORCED_LABOUR,) if index % 2 else ())
        add_person(case)
        due(case, day, -1 - index % 3, user=manager)
        due(case, day, index % 5, kind=REVIEW, user=manager)
        cases.append(case)
    return cases


# --- selectors ----------------------------------------------------------------------------------------


def test_counts_by_urgency_by_kind_and_by_case(manager, day):
    agency = manager.membership.agency
    first, second = make_case(agency), make_case(agency)
    due(first, day, -3, user=manager)
    due(first, day, 0, kind=REVIEW, user=manager)
    due(second, day, 4, user=manager)
    deadlines = due_deadlines(manager.membership, status=Status.OPEN, day=day)

    assert urgency_counts(deadlines, day) == {"overdue": 1, "today": 1, "week": 1, "total": 3}
    kinds = {row["kind"]: row for row in counts_by_kind(deadlines, day)}
    assert (kinds[DECIDE]["overdue"], kinds[DECIDE]["week"], kinds[DECIDE]["total"]) == (1, 1, 2)
    assert (kinds[REVIEW]["today"], kinds[REVIEW]["total"]) == (1, 1)
    cases = list(counts_by_case(deadlines, day))
    assert [row["case__reference"] for row in cases] == [first.reference, second.reference]  # soonest first
    assert (cases[0]["overdue"], cases[0]["today"], cases[0]["total"]) == (1, 1, 2)


def test_the_facets_narrow_by_the_cases_form_agency_and_child(client_for, manager, day):
    agency = manager.membership.agency
    labour = make_case(agency, forms=(ExploitationForm.FORCED_LABOUR,))
    child = make_case(agency, is_child=True)
    plain = make_case(agency)
    for case in (labour, child, plain):
        due(case, day, 1, user=manager)
    client = client_for(manager)

    assert references(client.get(URL, {"exploitation": ExploitationForm.FORCED_LABOUR}).content.decode()) == [
        labour.reference
    ]
    assert references(client.get(URL, {"child": "yes"}).content.decode()) == [child.reference]
    assert len(references(client.get(URL, {"child": "no"}).content.decode())) == 2
    assert len(references(client.get(URL, {"agency": agency.pk}).content.decode())) == 3
    other = AgencyFactory()
    assert references(client.get(URL, {"agency": other.pk}).content.decode()) == []


def test_a_bad_facet_is_explained_and_filters_nothing(client_for, manager, day):
    due(make_case(manager.membership.agency), day, 1, user=manager)
    response = client_for(manager).get(URL, {"exploitation": "not-a-form"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Choose “Form of exploitation” from the list." in page and len(references(page)) == 1


# --- the screen -----------------------------------------------------------------------------------------


def test_grouped_by_case_each_case_once_with_its_counts_and_a_link_to_its_rows(client_for, manager, day):
    first, second = worked_cases(manager, day, 2)
    client = client_for(manager)
    page = client.get(URL, {"group": "case"}).content.decode()
    assert sorted(references(page)) == sorted([first.reference, second.reference])
    assert f"case={first.reference}" in page
    assert "2 cases with open deadlines" in page
    narrowed = client.get(URL, {"case": first.reference}).content.decode()
    assert references(narrowed) == [first.reference, first.reference]


def test_grouped_by_kind_with_counts_linking_to_the_kind(client_for, manager, day):
    worked_cases(manager, day, 3)
    page = client_for(manager).get(URL, {"group": "kind"}).content.decode()
    assert "Decide on the test matter" in page and "Review the test plan" in page
    assert f"kind={DECIDE}" in page and f"kind={REVIEW}" in page
    assert references(page) == []  # kinds, not rows


def test_the_name_shows_to_a_team_member_and_the_read_is_recorded(client_for, manager, make_member, day):
    agency = manager.membership.agency
    case = make_case(agency)
    put_on_team(case, manager, whole_agency=False)
    person = add_person(case)
    due(case, day, -1, agency=agency)
    before = AuditEvent.objects.filter(action="person.read", case=case).count()
    page = client_for(manager).get(URL, {"scope": "agency"}).content.decode()
    assert name_of(person) in page
    read = AuditEvent.objects.filter(action="person.read", case=case)
    assert read.count() == before + 1 and read.first().tier == 2

    colleague = make_member(Role.CASE_MANAGER, agency=agency)  # same agency, not on the team: T1 only
    page = client_for(colleague).get(URL, {"scope": "agency"}).content.decode()
    assert case.reference in page and name_of(person) not in page
    assert AuditEvent.objects.filter(action="person.read", case=case).count() == before + 1


def test_mark_as_dealt_with_stays_on_the_list(client_for, manager, day):
    register_kind("tests.lookup", "Be ready to answer a look-up", marked_done=True)
    due(make_case(manager.membership.agency), day, 0, kind="tests.lookup", user=manager)
    page = client_for(manager).get(URL).content.decode()
    assert "Mark as dealt with" in page


@pytest.mark.parametrize(
    "params", [{}, {"group": "case"}, {"group": "kind"}, {"exploitation": ExploitationForm.FORCED_LABOUR}]
)
def test_the_screen_costs_the_same_for_3_or_30_cases(client_for, manager, day, params):
    client = client_for(manager)
    response = assert_constant_queries(
        lambda: client.get(URL, params), lambda count: worked_cases(manager, day, count)
    )
    if not params:
        assert len(references(response.content.decode())) == 50  # a full page: 60 deadlines


# --- the home page's panel ------------------------------------------------------------------------------


def test_the_home_page_leads_with_what_is_due_today_and_overdue(client_for, manager, day):
    case = team_case(manager)
    person = add_person(case)
    due(case, day, -2, user=manager)
    due(case, day, 0, kind=REVIEW, user=manager)
    later = make_case(manager.membership.agency)
    due(later, day, 5, user=manager)
    page = client_for(manager).get(HOME).content.decode().split('id="panel-due"')[1]
    assert references(page).count(case.reference) == 2 and later.reference not in references(page)
    assert name_of(person) in page
    assert "All your open deadlines (3)" in page


def test_the_home_page_leads_with_the_reader_s_own_work_and_shows_other_agencies_apart(
    client_for, manager, day
):
    """On a case the reader is named on, another agency's overdue deadline (a prosecutor's hearing) follows
    the reader's own and their agency's, however much more overdue it is."""
    case = own_case(manager)
    other = AgencyFactory()
    due(case, day, -30, kind=REVIEW, agency=other)
    due(case, day, -1, agency=manager.membership.agency)
    page = client_for(manager).get(HOME).content.decode().split('id="panel-due"')[1].split("</section>")[0]
    own, others = page.split('id="panel-due-others"')
    assert "Decide on the test matter" in own and "Review the test plan" not in own
    assert "Review the test plan" in others and other.name in others
    assert "Other agencies' deadlines on your cases" in others

    # Nothing of the reader's own due: the panel says so, and that what is due is other agencies' to do.
    Deadline.objects.filter(kind=DECIDE).update(due_at=noon(day, 3))
    page = client_for(manager).get(HOME).content.decode().split('id="panel-due"')[1].split("</section>")[0]
    assert "Nothing for you or your agency to do is due today or overdue" in page
    assert "Review the test plan" in page.split('id="panel-due-others"')[1]

    listed = client_for(manager).get(URL).content.decode()
    theirs, own = (
        listed.split(f'<td data-label="What is due">{label}</td>')[1].split("</tr>")[0]
        for label in ("Review the test plan", "Decide on the test matter")
    )
    assert "theirs to do" in theirs and "theirs to do" not in own  # the full list marks them
    assert "theirs to do" not in others  # the home page lists them apart already

    due(case, day, -1, kind=REVIEW, user=manager)  # named: the reader's own, whoever's agency it is
    page = client_for(manager).get(HOME).content.decode().split('id="panel-due"')[1].split("</section>")[0]
    assert 'id="panel-due-others"' not in page and "Review the test plan" in page


def test_the_api_says_which_deadlines_are_another_agency_s_as_the_home_page_does(client_for, manager, day):
    case = own_case(manager)
    due(case, day, -30, kind=REVIEW, agency=AgencyFactory())
    due(case, day, -1, agency=manager.membership.agency)
    rows = client_for(manager).get(reverse("api-deadlines")).json()["results"]
    assert {row["kind"]: row["for_another_agency"] for row in rows} == {REVIEW: True, DECIDE: False}
    others = Deadline.objects.filter(another_agency_s(manager.membership)).values_list("kind", flat=True)
    assert list(others) == [REVIEW]  # the query the home page sorts by says the same


def test_the_home_page_costs_the_same_for_3_or_30_cases(client_for, manager, day):
    client = client_for(manager)
    assert_constant_queries(lambda: client.get(HOME), lambda count: worked_cases(manager, day, count))


# --- the API ----------------------------------------------------------------------------------------------


def test_the_api_lists_with_the_facets_and_names_where_readable(client_for, manager, make_member, day):
    agency = manager.membership.agency
    labour = make_case(agency, forms=(ExploitationForm.FORCED_LABOUR,))
    put_on_team(labour, manager, whole_agency=False)
    person = add_person(labour)
    due(labour, day, 1, agency=agency)
    due(make_case(agency), day, 2, agency=agency)
    rows = client_for(manager).get(reverse("api-deadlines"), {"scope": "agency"}).json()["results"]
    assert [row["person_name"] for row in rows] == [name_of(person), None]
    rows = (
        client_for(manager)
        .get(reverse("api-deadlines"), {"scope": "agency", "exploitation": ExploitationForm.FORCED_LABOUR})
        .json()["results"]
    )
    assert [row["case"] for row in rows] == [labour.reference]
    colleague = make_member(Role.CASE_MANAGER, agency=agency)
    rows = client_for(colleague).get(reverse("api-deadlines"), {"scope": "agency"}).json()["results"]
    assert [row["person_name"] for row in rows] == [None, None]


def test_the_api_counts_and_lists_by_case(client_for, manager, day):
    first, second = worked_cases(manager, day, 2)
    client = client_for(manager)
    counts = client.get(reverse("api-deadline-counts"), {"status": "open"}).json()
    assert counts["total"] == 4 and counts["overdue"] == 2
    assert {row["kind"] for row in counts["by_kind"]} == {DECIDE, REVIEW}
    assert all(row["kind_label"] for row in counts["by_kind"])
    rows = client.get(reverse("api-deadline-cases"), {"status": "open"}).json()["results"]
    assert {row["case"] for row in rows} == {first.reference, second.reference}
    assert all(row["total"] == 2 and row["person_name"] for row in rows)


@pytest.mark.parametrize("name", ["api-deadlines", "api-deadline-counts", "api-deadline-cases"])
@pytest.mark.parametrize(
    "params", [{"exploitation": "nothing"}, {"child": "maybe"}, {"agency": "x"}, {"agency": 999999}]
)
def test_the_api_answers_a_bad_filter_with_the_one_error_shape(client_for, manager, name, params):
    error = api_error(client_for(manager).get(reverse(name), params), 400)
    assert set(error["fields"]) == set(params)


@pytest.mark.parametrize("name", ["api-deadlines", "api-deadline-counts", "api-deadline-cases"])
def test_the_api_costs_the_same_for_3_or_30_cases(client_for, manager, day, name):
    client = client_for(manager)
    assert_constant_queries(
        lambda: client.get(reverse(name), {"status": "open"}), lambda count: worked_cases(manager, day, count)
    )
