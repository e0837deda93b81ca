"""Decisions due as a worklist: soonest due first, the newest referrals above without paging, the case
facets, the person's name where readable, the authority's home page, the API, and constant queries."""

from __future__ import annotations

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from palermo.cases.models import Case
from palermo.cases.reference import ExploitationForm
from palermo.deadlines.models import Deadline
from palermo.identification.deadlines import PRESUMED_KIND
from palermo.identification.selectors import AwaitingOrder, awaiting_counts, cases_awaiting_decision
from palermo.identification.services.decisions import may_decide
from tests.api.errors import api_error
from tests.cases.casework import add_person, make_case, put_on_team
from tests.queries import assert_constant_queries

pytestmark = pytest.mark.django_db

URL = reverse("identification:awaiting")
API = reverse("api-identification-awaiting")


def referral(authority, *, days_ago: int, due_in: int, **fields) -> Case:
    """A case referred `days_ago`, on the authority's team, its presumed victim decision due in `due_in`
    days (its deadline row, as the intake writes it)."""
    case = make_case(authority.membership.agency, **fields)
    put_on_team(case, authority, whole_agency=False)
    now = timezone.now()
    Case.objects.filter(pk=case.pk).update(opened_at=now - datetime.timedelta(days=days_ago))
    Deadline.objects.update_or_create(
        source_type="cases.case",
        source_id=str(case.pk),
        kind=PRESUMED_KIND,
        defaults={"case": case, "due_at": now + datetime.timedelta(days=due_in)},
    )
    return case


def references(html: str) -> list[str]:
    return list(dict.fromkeys(re.findall(r"<code>([^<]+)</code>", html)))


def test_soonest_due_first_and_newest_referral_first(authority):
    late = referral(authority, days_ago=2, due_in=-1)
    soon = referral(authority, days_ago=1, due_in=3)
    fresh = referral(authority, days_ago=0, due_in=9)
    membership = authority.membership
    assert list(cases_awaiting_decision(membership)) == [late, soon, fresh]
    newest = cases_awaiting_decision(membership, order=AwaitingOrder.NEWEST)
    assert list(newest) == [fresh, soon, late]
    assert awaiting_counts(cases_awaiting_decision(membership)) == {"total": 3, "overdue": 1}


def test_the_page_shows_new_referrals_above_the_list_sorted_by_due_date(client_for, authority):
    late = referral(authority, days_ago=20, due_in=-1)
    fresh = referral(authority, days_ago=0, due_in=30)
    page = client_for(authority).get(URL).content.decode()
    new_part, all_part = page.split('id="all-due"')
    assert references(new_part.split('id="new-referrals"')[1]) == [fresh.reference, late.reference]
    assert references(all_part) == [late.reference, fresh.reference]
    assert "(overdue)" in all_part


def test_the_facets_filter_both_parts(client_for, authority):
    labour = referral(authority, days_ago=1, due_in=3, forms=(ExploitationForm.FORCED_LABOUR,))
    child = referral(authority, days_ago=1, due_in=4, is_child=True)
    client = client_for(authority)
    page = client.get(URL, {"exploitation": ExploitationForm.FORCED_LABOUR}).content.decode()
    assert references(page) == [labour.reference]
    assert references(client.get(URL, {"child": "yes"}).content.decode()) == [child.reference]


def test_names_show_where_identity_may_be_read(client_for, authority):
    case = referral(authority, days_ago=1, due_in=3)
    person = add_person(case)
    name = f"{person.given_names} {person.family_names}"
    assert name in client_for(authority).get(URL).content.decode()


def test_a_case_the_authority_sees_only_for_leading_it_is_not_its_to_decide(
    client_for, authority, make_member
):
    """A colleague of the leading agency not on the team sees the case's facts but may not decide on it,
    so it is not among their decisions due; once on the team, it is."""
    case = referral(authority, days_ago=1, due_in=3)
    colleague = make_member(authority.membership.role, agency=authority.membership.agency)  # T1 only
    client = client_for(colleague)
    assert client.get(reverse("cases:detail", args=[case.reference])).status_code == 200
    assert case.reference not in client.get(URL).content.decode()
    assert client.get(API).json()["count"] == 0
    assert not may_decide(colleague.membership, case)
    put_on_team(case, colleague, whole_agency=False)
    assert case.reference in client.get(URL).content.decode()


def test_the_authority_home_page_leads_with_new_referrals(client_for, authority):
    fresh = referral(authority, days_ago=0, due_in=30)
    page = client_for(authority).get(reverse("core:home")).content.decode()
    assert "New referrals" in page and fresh.reference in page
    assert f'href="{URL}"' in page


def test_the_authority_home_page_lists_an_overdue_decision_once(client_for, authority):
    """Counted in "Decisions due", listed in "Due today and overdue" (with the reader's other deadlines)."""
    late = referral(authority, days_ago=40, due_in=-30)
    for _ in range(5):  # the newest referrals, which lead the panel
        referral(authority, days_ago=0, due_in=7)
    page = client_for(authority).get(reverse("core:home")).content.decode()
    awaiting = page[page.index('id="panel-awaiting"') : page.index('id="panel-due"')]
    assert late.reference not in awaiting and "Overdue" in awaiting
    assert page.count(f"<code>{late.reference}</code>") == 1


def test_the_api_sorts_filters_and_names(client_for, authority):
    late = referral(authority, days_ago=2, due_in=-1)
    fresh = referral(authority, days_ago=0, due_in=9, is_child=True)
    person = add_person(fresh)
    client = client_for(authority)
    rows = client.get(API).json()["results"]
    assert [row["reference"] for row in rows] == [late.reference, fresh.reference]
    assert rows[0]["overdue"] is True and rows[0]["person_name"] is None  # no person recorded
    rows = client.get(API, {"order": "newest", "child": "yes"}).json()["results"]
    assert [row["reference"] for row in rows] == [fresh.reference]
    assert rows[0]["person_name"] == f"{person.given_names} {person.family_names}"
    assert len(client.get(API, {"new": "true"}).json()["results"]) == 2
    api_error(client.get(API, {"order": "oldest"}), 400)
    api_error(client.get(API, {"exploitation": "nothing"}), 400)


@pytest.mark.parametrize("url", [URL, API, reverse("core:home")])
def test_costs_the_same_for_3_or_30_cases(client_for, authority, url):
    def referrals(count: int) -> None:
        for index in range(count):
            add_person(referral(authority, days_ago=index % 7, due_in=index % 11 - 5))

    client = client_for(authority)
    assert_constant_queries(lambda: client.get(url), referrals)


def test_later_pages_keep_the_order_and_new_referrals_have_no_decision_at_all(
    client_for, authority, monkeypatch
):
    from palermo.identification.views import decisions as views
    from tests.identification.test_deadline_rows import decide

    monkeypatch.setattr(views, "PAGE_SIZE", 2)
    cases = [referral(authority, days_ago=9 - index, due_in=index) for index in range(5)]
    decided = cases[4]  # the newest: a positive presumed victim decision, so it awaits the identified one
    decide(authority, decided, "presumed")
    membership = authority.membership
    newest = list(cases_awaiting_decision(membership, order=AwaitingOrder.NEWEST, new_only=True))
    assert newest == cases[3::-1] and decided in cases_awaiting_decision(membership)
    client = client_for(authority)
    due_order = [case.reference for case in cases_awaiting_decision(membership)]
    for number, expected in ((1, due_order[:2]), (2, due_order[2:4]), (3, due_order[4:]), (9, due_order[4:])):
        page = client.get(URL, {"page": number}).content.decode()
        new_part, all_part = page.split('id="all-due"')
        assert references(all_part) == expected
        assert decided.reference not in new_part
