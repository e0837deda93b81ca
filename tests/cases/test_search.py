"""Case search: every filter, the name search through blind indexes, visibility, audit and query counts.
(Names kept out of URLs: test_search_names.py.)"""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from palermo.audit.models import AuditEvent
from palermo.cases.models import Phase
from palermo.cases.reference import CaseStatus
from palermo.deadlines.models import Deadline
from palermo.deadlines.services import set_deadline
from palermo.identification.deadlines import PRESUMED_KIND, REVIEW_KIND
from tests.cases.casework import add_person, make_case, put_on_team, team_case

pytestmark = pytest.mark.django_db

SEARCH = reverse("cases:search")


@pytest.fixture
def client(client_for, manager):
    return client_for(manager)


def found(response) -> set[str]:
    html = response.content.decode()
    if "<tbody>" not in html:
        return set()
    body = html.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    return {chunk.split("</code>", 1)[0] for chunk in body.split("<code>")[1:]}


def test_the_search_page_has_labelled_filters_including_the_deadline(client):
    html = client.get(SEARCH).content.decode()
    names = (
        "reference",
        "status",
        "phase",
        "agency",
        "exploitation",
        "deadline",
        "deadline_kind",
        "child",
        "name",
    )
    for name in (*names, "birth_date"):
        assert f'<label class="form-label" for="id_{name}">' in html
    assert 'value="overdue"' in html and 'value="due_soon"' in html
    assert f'value="{PRESUMED_KIND}"' in html  # the kinds the installed areas registered


def test_a_search_as_the_browser_sends_it_filters_by_what_was_chosen_only(client, manager):
    """A browser sends every field; the ones left alone must not filter (a select starts on "any"), nor
    follow the search to its bookmarkable URL."""
    adult = team_case(manager, phase=Phase.ASSISTANCE)
    html = client.get(SEARCH).content.decode()
    for name in ("status", "phase", "agency", "exploitation", "deadline", "deadline_kind", "child"):
        select = html.split(f'id="id_{name}"', 1)[1].split("</select>", 1)[0]
        assert '<option value="" selected>' in select, name
    sent = dict.fromkeys(
        (
            "reference",
            "status",
            "agency",
            "exploitation",
            "deadline",
            "deadline_kind",
            "child",
            "name",
            "birth_date",
        ),
        "",
    )
    response = client.post(SEARCH, {**sent, "phase": "assistance"})
    assert response.status_code == 303 and response["Location"] == f"{SEARCH}?phase=assistance"
    assert found(client.get(response["Location"])) == {adult.reference}
    # A bookmark of a search from before the form posted (every field, blank ones too) still works.
    assert found(client.get(SEARCH, {**sent, "phase": "assistance"})) == {adult.reference}


def test_each_filter(client, manager, make_agency):
    child = team_case(manager, is_child=True, forms=("ForcedBegging",))
    assisted = team_case(manager, phase=Phase.ASSISTANCE, forms=("ForcedLabour",))
    closed = team_case(manager, phase=Phase.CLOSED, status=CaseStatus.CLOSED)
    elsewhere = make_case(make_agency())
    put_on_team(elsewhere, manager)
    assert found(client.get(SEARCH, {"reference": child.reference.lower()})) == {child.reference}
    assert found(client.get(SEARCH, {"status": "Closed"})) == {closed.reference}
    assert found(client.get(SEARCH, {"phase": "assistance"})) == {assisted.reference}
    assert found(client.get(SEARCH, {"agency": elsewhere.lead_agency_id})) == {elsewhere.reference}
    assert found(client.get(SEARCH, {"exploitation": "ForcedBegging"})) == {child.reference}
    assert found(client.get(SEARCH, {"child": "yes"})) == {child.reference}
    assert found(client.get(SEARCH, {"child": "no"})) == {
        assisted.reference,
        closed.reference,
        elsewhere.reference,
    }
    assert found(client.get(SEARCH, {"status": "Active", "phase": "assistance"})) == {assisted.reference}


def deadline_on(case, *, kind, due_at, done=False):
    """A deadline row as an area writes it (the case itself stands in as its source)."""
    deadline = set_deadline(case=case, kind=kind, due_at=due_at, source=case)
    if done:
        Deadline.objects.filter(pk=deadline.pk).update(done_at=timezone.now())
    return deadline


def test_the_deadline_filter_finds_open_overdue_and_soon_deadlines_by_kind(client, manager):
    now = timezone.now()
    overdue = team_case(manager)
    deadline_on(overdue, kind=PRESUMED_KIND, due_at=now - datetime.timedelta(days=3))
    soon = team_case(manager)
    deadline_on(soon, kind=REVIEW_KIND, due_at=now + datetime.timedelta(days=3))
    later = team_case(manager)
    deadline_on(later, kind=PRESUMED_KIND, due_at=now + datetime.timedelta(days=30))
    done = team_case(manager)
    deadline_on(done, kind=PRESUMED_KIND, due_at=now - datetime.timedelta(days=3), done=True)
    team_case(manager)  # no deadline at all
    assert found(client.get(SEARCH, {"deadline": "overdue"})) == {overdue.reference}
    assert found(client.get(SEARCH, {"deadline": "due_soon"})) == {soon.reference}
    assert found(client.get(SEARCH, {"deadline_kind": PRESUMED_KIND})) == {overdue.reference, later.reference}
    assert found(client.get(SEARCH, {"deadline": "overdue", "deadline_kind": REVIEW_KIND})) == set()
    assert found(client.get(SEARCH, {"deadline": "due_soon", "deadline_kind": REVIEW_KIND})) == {
        soon.reference
    }
    assert client.get(SEARCH, {"deadline": "someday"}).status_code == 200
    assert found(client.get(SEARCH, {"deadline": "someday"})) == set()  # refused choice: no search
    api = client.get(reverse("api-cases"), {"deadline": "overdue"}).json()["results"]
    assert [row["reference"] for row in api] == [overdue.reference]
    kind = client.get(reverse("api-cases"), {"deadline_kind": PRESUMED_KIND}).json()["results"]
    assert {row["reference"] for row in kind} == {overdue.reference, later.reference}


def test_the_deadline_filter_does_not_find_cases_the_user_may_not_see(client, manager, make_agency):
    hidden = make_case(make_agency())
    deadline_on(hidden, kind=PRESUMED_KIND, due_at=timezone.now() - datetime.timedelta(days=3))
    assert found(client.get(SEARCH, {"deadline": "overdue"})) == set()


def test_only_visible_cases_are_found(client, manager, make_agency):
    mine = team_case(manager, forms=("Servitude",))
    hidden = make_case(make_agency(), forms=("Servitude",))
    result = found(client.get(SEARCH, {"exploitation": "Servitude"}))
    assert result == {mine.reference}
    assert found(client.get(SEARCH, {"reference": hidden.reference})) == set()


def test_name_search_through_the_blind_index_with_an_optional_birth_date(client, manager):
    case = team_case(manager)
    born = datetime.date(1990, 4, 2)
    person = add_person(case, birth_date=born)
    other = team_case(manager)
    add_person(other, birth_date=datetime.date(1991, 1, 1))
    full_name = f"{person.family_names.upper()}  {person.given_names}"  # another order and case
    assert found(client.post(SEARCH, {"name": full_name})) == {case.reference}
    assert found(client.post(SEARCH, {"name": full_name, "birth_date": "1990-04-02"})) == {case.reference}
    assert found(client.post(SEARCH, {"name": full_name, "birth_date": "1990-04-03"})) == set()
    audits = AuditEvent.objects.filter(action="case.search_name")
    assert audits.count() == 3 and audits.filter(tier=2).count() == 3
    assert all(person.given_names not in audit.reason for audit in audits)
    assert case.reference in audits.order_by("sequence").first().reason


def test_a_name_typed_with_invisible_characters_is_found_like_the_plain_name(client_for, manager):
    """A zero-width joiner or a bidirectional mark pasted inside a name must not hide the person."""
    case = team_case(manager)
    person = add_person(case)
    given, family = person.given_names, person.family_names
    typed = f"\u2067{given[:1]}\u200d{given[1:]}\u2069 {family[:1]}\u200b\u00ad{family[1:]}"
    assert found(client_for(manager).post(SEARCH, {"name": typed})) == {case.reference}
    by_api = client_for(manager).post(
        reverse("api-cases-search"), {"name": typed}, content_type="application/json"
    )
    assert [c["reference"] for c in by_api.json()["results"]] == [case.reference]


def test_a_birth_date_without_a_name_is_refused(client, manager):
    team_case(manager)
    response = client.post(SEARCH, {"birth_date": "1990-04-02"})
    assert response.status_code == 400 and "give the name too" in response.content.decode()
    assert found(response) == set()


@pytest.mark.parametrize("count", [5, 60])
def test_search_costs_the_same_queries_for_5_or_60_cases(client, manager, django_assert_num_queries, count):
    for _ in range(count):
        team_case(manager, forms=("ForcedLabour", "SexualExploitation"))
    # session, user, OTP device, memberships, agencies for the filter, count, page, forms, next deadlines.
    with django_assert_num_queries(9):
        response = client.get(SEARCH, {"exploitation": "ForcedLabour"})
    assert len(found(response)) == min(count, 50)


def test_api_search_with_the_same_filters_and_audit(client_for, manager):
    case = team_case(manager, phase=Phase.REFLECTION)
    person = add_person(case)
    client = client_for(manager)
    by_phase = client.get(reverse("api-cases"), {"phase": "reflection"}).json()
    assert [c["reference"] for c in by_phase["results"]] == [case.reference]
    criteria = {"name": f"{person.given_names} {person.family_names}"}
    by_name = client.post(reverse("api-cases-search"), criteria, content_type="application/json").json()
    assert [c["reference"] for c in by_name["results"]] == [case.reference]
    assert AuditEvent.objects.filter(action="case.search_name").count() == 1
    assert client.get(reverse("api-cases"), {"phase": "nonsense"}).status_code == 400


@pytest.mark.parametrize("count", [5, 60])
def test_api_search_costs_the_same_queries(client_for, manager, django_assert_num_queries, count):
    client = client_for(manager)
    for _ in range(count):
        team_case(manager, forms=("ForcedLabour",))
    # session, user, OTP device, memberships, count, page, forms, next deadlines.
    with django_assert_num_queries(8):
        response = client.get(reverse("api-cases"), {"status": "Active"})
    assert len(response.json()["results"]) == min(count, 50)


def plan(queryset) -> str:
    """The database's plan for a query, with sequential scans priced out on PostgreSQL so that a missing
    index shows (tiny test tables are otherwise always scanned)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL enable_seqscan = off")
    return queryset.explain()


@pytest.mark.parametrize(
    ("filters", "index_hint"),
    [
        ({"reference": "NRM-0000-0000"}, "reference"),
        ({"name": "Ana Petrova"}, "name_index"),
        ({"exploitation": "ForcedLabour"}, "case_exploitation_form"),
        ({"deadline": "overdue"}, "deadline_open_due"),
        ({"deadline_kind": PRESUMED_KIND}, "deadline_kind_open"),
    ],
    ids=["reference", "name", "exploitation", "deadline", "deadline_kind"],
)
def test_reference_name_and_form_searches_answer_from_an_index(manager, filters, index_hint):
    from palermo.access.selectors import cases_visible_to
    from palermo.cases.filters import CaseFilter

    team_case(manager)
    visible = cases_visible_to(manager.membership)
    queryset = CaseFilter(filters, queryset=visible, searcher=manager.membership).qs
    text = plan(queryset)
    assert index_hint in text, text
    if connection.vendor == "sqlite":
        assert "SCAN cases_person" not in text and "SCAN cases_caseexploitation" not in text
