"""A search by name or birth date never puts them in a URL (browser history, proxy and server logs keep URLs):
the screen's form posts, its name search answers and pages by POST, a GET URL holding a name is refused; the
API searches by name in a POST body and refuses a name in the case list's query string."""

from __future__ import annotations

import datetime
from urllib.parse import quote, quote_plus

import pytest
from django.urls import reverse

from palermo.audit.models import AuditEvent
from palermo.cases.models import Person, Phase
from palermo.cases.views.cases import PAGE_SIZE
from tests.api.errors import api_error
from tests.cases.casework import add_person, htmx, make_case, team_case
from tests.cases.test_search import found
from tests.names import synthetic_name

pytestmark = pytest.mark.django_db

SEARCH = reverse("cases:search")
API_LIST = reverse("api-cases")
API_SEARCH = reverse("api-cases-search")


@pytest.fixture
def client(client_for, manager):
    return client_for(manager)


def full_name(person: Person) -> str:
    return f"{person.given_names} {person.family_names}"


def name_searches() -> int:
    return AuditEvent.objects.filter(action="case.search_name").count()


def assert_not_in_any_url(response, *values: str) -> None:
    """Neither the URL asked for, nor a redirect, nor a link or a form target of the page holds the values."""
    html = response.content.decode()
    urls = [
        response.request["PATH_INFO"],
        response.request.get("QUERY_STRING", ""),
        response.get("Location", ""),
    ]
    urls += [
        chunk.split('"', 1)[0]
        for marker in ('href="', 'action="', 'hx-post="')
        for chunk in html.split(marker)[1:]
    ]
    for value in values:
        for url in urls:
            assert value not in url and quote(value) not in url and quote_plus(value) not in url, url


def test_the_search_form_posts_with_a_csrf_token_and_pushes_no_url(client):
    html = client.get(SEARCH).content.decode()
    form = html.split('aria-label="Search cases"', 1)[1].split("</form>", 1)[0]
    assert 'method="post"' in html.split('aria-label="Search cases"', 1)[0].rsplit("<form", 1)[1]
    assert 'name="csrfmiddlewaretoken"' in form and "hx-post=" in form and "hx-get" not in form
    assert "hx-push-url" not in html


def test_a_name_search_by_post_finds_the_case_answers_in_place_and_is_audited(client, manager):
    case = team_case(manager)
    person = add_person(case, birth_date=datetime.date(1988, 3, 9))
    team_case(manager)  # another case, another person
    response = client.post(SEARCH, {"name": full_name(person), "birth_date": "1988-03-09", "phase": ""})
    assert response.status_code == 200 and found(response) == {case.reference}
    assert_not_in_any_url(response, person.given_names, person.family_names, "1988-03-09")
    audit = AuditEvent.objects.get(action="case.search_name")
    assert audit.tier == 2 and case.reference in audit.reason
    assert person.given_names not in audit.reason and person.family_names not in audit.reason


def test_a_get_url_holding_a_name_or_birth_date_is_refused_not_searched(client, manager):
    case = team_case(manager)
    person = add_person(case, birth_date=datetime.date(1979, 11, 30))
    for query in (
        {"name": full_name(person)},
        {"birth_date": "1979-11-30"},
        {"phase": "", "name": person.given_names},
    ):
        response = client.get(SEARCH, query)
        html = response.content.decode()
        search = html.split('id="search"', 1)[1]
        assert response.status_code == 400 and found(response) == set()
        assert person.given_names not in html and "1979-11-30" not in html  # nor the language switcher's
        assert "not searched" in search and "fill in the form" in search
        assert person.given_names not in search and "1979-11-30" not in search  # not echoed into the form
    assert name_searches() == 0


def test_a_search_without_a_name_is_sent_on_to_its_bookmarkable_url(client, manager):
    assisted = team_case(manager, phase=Phase.ASSISTANCE, forms=("ForcedLabour",))
    team_case(manager, phase=Phase.ASSISTANCE)
    response = client.post(SEARCH, {"phase": "assistance", "exploitation": "ForcedLabour", "name": " "})
    assert response.status_code == 303
    assert response["Location"] == f"{SEARCH}?phase=assistance&exploitation=ForcedLabour"
    assert found(client.get(response["Location"])) == {assisted.reference}
    assert client.post(SEARCH, {})["Location"] == SEARCH
    assert name_searches() == 0


def test_a_name_search_pages_by_post_with_the_same_criteria(client, manager):
    """A name shared by more cases than a page holds: the next page is a POST of the same criteria."""
    given, family = synthetic_name()
    cases = [team_case(manager, phase=Phase.ASSISTANCE) for _ in range(PAGE_SIZE + 3)]
    other_phase = team_case(manager, phase=Phase.REFLECTION)
    for case in [*cases, other_phase]:
        Person(case=case, given_names=given, family_names=family).save()
    criteria = {"name": f"{given} {family}", "phase": "assistance"}
    first = client.post(SEARCH, criteria)
    html = first.content.decode()
    pager = html.split('aria-label="Pages of cases"', 1)[1].split("</nav>", 1)[0]
    assert 'method="post"' in pager and 'name="csrfmiddlewaretoken"' in pager
    assert f'name="name" value="{given} {family}"' in pager and 'name="phase" value="assistance"' in pager
    assert 'name="page" value="2"' in pager and "href=" not in pager
    assert_not_in_any_url(first, given, family)
    second = client.post(SEARCH, {**criteria, "page": "2"})
    assert second.status_code == 200 and len(found(second)) == 3
    assert found(first) | found(second) == {case.reference for case in cases}  # not the other phase's
    audits = AuditEvent.objects.filter(action="case.search_name").order_by("sequence")
    assert audits.count() == 2
    assert all(reference in audits.last().reason for reference in found(second))


def test_a_name_search_never_finds_cases_the_user_may_not_see(client, manager, make_agency):
    hidden = make_case(make_agency())
    person = add_person(hidden)
    response = client.post(SEARCH, {"name": full_name(person)})
    assert response.status_code == 200 and found(response) == set()
    api = client.post(API_SEARCH, {"name": full_name(person)}, content_type="application/json")
    assert api.status_code == 200 and api.json()["results"] == []
    audits = AuditEvent.objects.filter(action="case.search_name")
    assert audits.count() == 2 and all(hidden.reference not in audit.reason for audit in audits)


def test_htmx_name_search_swaps_in_place_and_a_search_without_name_pushes_its_url(client, manager):
    case = team_case(manager, phase=Phase.ASSISTANCE)
    person = add_person(case)
    by_name = client.post(SEARCH, {"name": full_name(person)}, **htmx())
    assert by_name.status_code == 200 and found(by_name) == {case.reference}
    assert "HX-Push-Url" not in by_name and "HX-Replace-Url" not in by_name
    by_phase = client.post(SEARCH, {"phase": "assistance"}, **htmx())
    assert by_phase.status_code == 303
    followed = client.get(by_phase["Location"], **htmx())  # what the browser's request does after a 303
    assert followed["HX-Push-Url"] == f"{SEARCH}?phase=assistance" and found(followed) == {case.reference}
    invalid = client.post(SEARCH, {"birth_date": "1990-01-01"}, **htmx())
    assert invalid.status_code == 200 and "give the name too" in invalid.content.decode()  # swapped in


def test_api_searches_by_name_in_a_post_body(client, manager):
    case = team_case(manager, phase=Phase.REFLECTION)
    person = add_person(case, birth_date=datetime.date(2001, 6, 15))
    team_case(manager, phase=Phase.REFLECTION)
    body = {"name": full_name(person), "birth_date": "2001-06-15", "phase": "reflection"}
    response = client.post(API_SEARCH, body, content_type="application/json")
    assert response.status_code == 200
    data = response.json()
    assert data["count"] == 1 and [row["reference"] for row in data["results"]] == [case.reference]
    assert name_searches() == 1
    wrong_day = client.post(API_SEARCH, {**body, "birth_date": "2001-06-16"}, content_type="application/json")
    assert wrong_day.json()["count"] == 0 and name_searches() == 2
    by_phase = client.post(API_SEARCH, {"phase": "reflection"}, content_type="application/json").json()
    assert by_phase["count"] == 2 and name_searches() == 2  # no name, nothing to record


def test_api_search_refuses_bad_criteria(client, manager):
    team_case(manager)
    for body in ({"birth_date": "2001-06-15"}, {"phase": "nonsense"}, {"agency": 0}, ["name"]):
        response = client.post(API_SEARCH, body, content_type="application/json")
        assert response.status_code == 400, body
    assert client.get(API_SEARCH).status_code == 405
    assert name_searches() == 0


def test_api_search_pages_like_the_list(client, manager):
    for _ in range(PAGE_SIZE + 2):
        team_case(manager, forms=("ForcedLabour",))
    body = {"exploitation": "ForcedLabour"}
    first = client.post(API_SEARCH, body, content_type="application/json").json()
    assert first["count"] == PAGE_SIZE + 2 and len(first["results"]) == PAGE_SIZE
    assert first["next"].endswith(f"{API_SEARCH}?page=2")
    second = client.post(f"{API_SEARCH}?page=2", body, content_type="application/json").json()
    assert len(second["results"]) == 2
    assert client.post(f"{API_SEARCH}?page=9", body, content_type="application/json").status_code == 404


def test_api_case_list_refuses_a_name_or_birth_date_in_its_query_string(client, manager):
    case = team_case(manager)
    person = add_person(case, birth_date=datetime.date(1995, 2, 1))
    for query in ({"name": full_name(person)}, {"birth_date": "1995-02-01"}):
        response = client.get(API_LIST, query)
        assert f"POST {API_SEARCH}" in api_error(response, 400, "invalid")["message"]
        assert person.given_names not in response.content.decode()
    assert name_searches() == 0
    assert client.get(API_LIST, {"name": ""}).status_code == 200  # an empty one holds nothing


def test_the_cases_a_name_found_are_recorded_when_read_whoever_reads_them(manager):
    """The record is the selector's: reading the rows records the search once, counting them records nothing,
    and a search without a name is no name search."""
    from palermo.access.selectors import cases_visible_to
    from palermo.cases.filters import CaseFilter

    case = team_case(manager)
    person = add_person(case)
    visible = cases_visible_to(manager.membership)
    by_name = CaseFilter({"name": full_name(person)}, queryset=visible, searcher=manager.membership).qs
    assert by_name.count() == 1 and name_searches() == 0
    page = by_name.order_by("pk")[:10]
    assert [row.reference for row in page] == [case.reference] and len(page) == 1
    assert name_searches() == 1
    assert case.reference in AuditEvent.objects.get(action="case.search_name").reason
    by_phase = CaseFilter({"phase": case.phase}, queryset=visible, searcher=manager.membership).qs
    assert case.reference in [row.reference for row in by_phase] and name_searches() == 1


def test_a_name_search_s_cases_cannot_be_read_past_the_record(manager):
    """Read as values, the cases found would be named without the search being recorded: refused."""
    from palermo.access.selectors import cases_visible_to
    from palermo.cases.filters import CaseFilter

    case = team_case(manager)
    person = add_person(case)
    visible = cases_visible_to(manager.membership)
    by_name = CaseFilter({"name": full_name(person)}, queryset=visible, searcher=manager.membership).qs
    for read in (lambda qs: qs.values("reference"), lambda qs: qs.values_list("reference", flat=True)):
        with pytest.raises(TypeError):
            list(read(by_name.order_by("pk")))
    assert name_searches() == 0
    assert by_name.exists() and name_searches() == 0  # whether any matched names no case either
    assert [row.reference for row in by_name.iterator()] == [case.reference] and name_searches() == 1
