"""A closed case stays as it was closed (palermo.access.closure): every write route of the pages and the API
refuses it (409, nothing changed) except re-opening, consent withdrawal and a note explaining why; the
services refuse too (commands cannot bypass the doors); the pages hide the forms and say how to re-open;
re-opening restores every write."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import Resolver404, resolve, reverse

from palermo.access import policy
from palermo.access.closure import (
    CLOSED_PHASE,
    CaseClosed,
    OnClosedCase,
    declared_on_closed_case,
    may_write_on,
    require_open,
)
from palermo.access.declare import PUBLIC, SIGNED_IN, declared_roles
from palermo.access.tiers import Tier
from palermo.accounts.roles import CASE_WORKERS, Role
from palermo.cases.models import Case, CaseEvent, CaseNote, ConsentPurpose, Phase
from palermo.cases.reference import ClosureReason
from palermo.cases.services.consent import consent_record
from palermo.cases.services.lifecycle import case_exploitation_set, case_transition
from palermo.cases.services.notes import case_note_add
from palermo.cases.services.person_subrecords import person_alias_add
from tests.access.conftest import team_row
from tests.conftest import signed_in_as
from tests.factories import AgencyFactory, CaseFactory, PersonaFactory, PersonFactory, typical_agency_type
from tests.module_data import fast_passwords, kept_for_the_module, member_afresh
from tests.test_urls import ROUTES, Route, url_of

pytestmark = pytest.mark.django_db

UNSAFE = ("post", "put", "patch", "delete")
# The writes a closed case still takes, by route: a change here is a change of policy.
ALLOWED_ON_CLOSED = {
    "cases:transition": OnClosedCase.REOPEN,
    "api-case-transition": OnClosedCase.REOPEN,
    "cases:consent_withdraw": OnClosedCase.WITHDRAW_CONSENT,
    "api-case-consent-withdraw": OnClosedCase.WITHDRAW_CONSENT,
    "cases:notes": OnClosedCase.EXPLAIN,
    "api-case-notes": OnClosedCase.EXPLAIN,
}


def _view_class(route: Route) -> Any:
    return getattr(route.callback, "cls", None) or getattr(route.callback, "view_class", None)


def write_methods(route: Route) -> list[str]:
    """The unsafe methods a route answers: a class's handlers; POST for a page's function view."""
    cls = _view_class(route)
    if cls is not None:
        return [method for method in UNSAFE if hasattr(cls, method)]
    return ["post"]


def is_case_work(route: Route) -> bool:
    """A route that works a case: not public, and open to a case-working role. The data protection officer's
    pages (palermo.privacy: legal holds, the person's data, erasure) act on closed cases by design."""
    roles = declared_roles(route.callback)
    return roles not in (PUBLIC, SIGNED_IN) and bool(set(roles) & set(CASE_WORKERS))


CASE_WRITE_ROUTES = [
    (route, method)
    for route in ROUTES
    if "reference" in route.kwarg_candidates and is_case_work(route)
    for method in write_methods(route)
]
API_WRITES = [(r, m) for r, m in CASE_WRITE_ROUTES if r.pattern.startswith("api/")]
PAGE_WRITES = [(r, m) for r, m in CASE_WRITE_ROUTES if not r.pattern.startswith("api/")]


def url_for_case(route: Route, reference: str) -> str:
    names = dict.fromkeys(route.kwarg_candidates)
    kwargs = {}
    for name in names:
        kwargs[name] = reference if name == "reference" else route.kwarg_candidates[name][0]
    try:
        return reverse(route.name, kwargs=kwargs)
    except Exception:  # a converter the first dummy does not fit
        return url_of(route).replace("/1/", f"/{reference}/", 1)


def acting_role(route: Route) -> Role:
    roles = declared_roles(route.callback)
    assert isinstance(roles, frozenset)
    if Role.CASE_MANAGER in roles:
        return Role.CASE_MANAGER
    return sorted((role for role in roles if role in CASE_WORKERS), key=str)[0]


@pytest.fixture(scope="module")
def closed_world(django_db_setup: None, django_db_blocker: Any) -> Iterator[tuple[int, int, int]]:
    """A child's case (every case role may see one) with a person, closed by the lead agency's manager: built
    once for the module's tests (tests/module_data.py: what a test writes is rolled back after it)."""
    with kept_for_the_module(django_db_blocker):
        with django_db_blocker.unblock(), fast_passwords():
            agency = AgencyFactory(type=typical_agency_type(Role.CASE_MANAGER))
            manager = PersonaFactory(role=Role.CASE_MANAGER, agency=agency, user=None, two_factor=True)
            case = CaseFactory(team=(manager,), is_child=True)
            PersonFactory(case=case)
            case = close(manager, case)
        yield case.pk, manager.pk, manager.membership.pk


@pytest.fixture
def closed_case(closed_world: tuple[int, int, int], db: None) -> tuple[Case, Any]:
    """The closed case and its manager (``manager.membership``), read afresh for each test."""
    case_pk, manager_pk, membership_pk = closed_world
    return Case.objects.get(pk=case_pk), member_afresh(manager_pk, membership_pk)


def close(manager, case: Case) -> Case:
    return case_transition(
        actor=manager,
        membership=manager.membership,
        case=Case.objects.get(pk=case.pk),
        name="close",
        expected_version=Case.objects.get(pk=case.pk).version,
        reason="assistance completed as planned",
        closure_reason=ClosureReason.ASSISTANCE_COMPLETED,
    )


def reopen(manager, case: Case) -> Case:
    return case_transition(
        actor=manager,
        membership=manager.membership,
        case=Case.objects.get(pk=case.pk),
        name="reopen",
        expected_version=Case.objects.get(pk=case.pk).version,
        reason="new information from the person",
    )


def member_on_team(make_member, case: Case, role: Role, manager) -> Any:
    """A member in `role` whose agency is on the case team (written directly: the team service refuses a
    closed case)."""
    if role == Role.CASE_MANAGER:
        return manager
    user = make_member(role)
    team_row(case, user.membership.agency)
    return user


def snapshot(case: Case) -> tuple[int, int, str]:
    fresh = Case.objects.get(pk=case.pk)
    return CaseEvent.objects.filter(case=case).count(), fresh.version, fresh.phase


# --- the policy ---


def test_the_policys_closed_phase_is_the_cases():
    assert CLOSED_PHASE == Phase.CLOSED


@pytest.mark.parametrize("phase", [p for p in Phase if p != Phase.CLOSED], ids=str)
def test_an_open_case_takes_every_write(phase):
    assert may_write_on(Case(phase=phase))
    require_open(Case(phase=phase))


def test_a_closed_case_takes_only_the_three_exceptions():
    closed = Case(phase=Phase.CLOSED)
    assert not may_write_on(closed)
    with pytest.raises(CaseClosed):
        require_open(closed)
    assert {action for action in OnClosedCase if may_write_on(closed, action)} == set(OnClosedCase)
    assert not may_write_on(closed, "anything else")


def test_nobody_writes_or_manages_the_team_of_a_closed_case_but_the_exceptions(closed_case):
    case, manager = closed_case
    membership = manager.membership
    assert policy.tiers_writable(membership, case) == frozenset()
    assert not policy.can_manage_team(membership, case)
    assert policy.can_write(membership, case, Tier.NARRATIVE, action=OnClosedCase.EXPLAIN)
    assert policy.can_read(membership, case, Tier.NARRATIVE), "closing changes no one's reading"


# --- every door ---


def test_the_walk_finds_the_write_routes_of_every_area():
    names = {route.name for route, _ in CASE_WRITE_ROUTES}
    for prefix in ("cases:", "api-case", "identification:", "api-identification", "reflection:",
                   "api-reflection", "residence:", "api-residence", "assistance:", "api-assistance",
                   "children:", "api-children", "access:case_team", "api-case-team"):  # fmt: skip
        assert any(name.startswith(prefix) for name in names), prefix
    assert len(API_WRITES) >= 55


@pytest.mark.parametrize(("route", "method"), CASE_WRITE_ROUTES, ids=lambda x: str(getattr(x, "name", x)))
def test_the_routes_that_a_closed_case_still_takes_are_declared_and_no_others(route, method):
    assert declared_on_closed_case(route.callback) == ALLOWED_ON_CLOSED.get(route.name)


@pytest.mark.parametrize(("route", "method"), API_WRITES, ids=lambda x: str(getattr(x, "name", x)))
def test_every_api_write_on_a_closed_case_is_409_with_the_reason(route, method, closed_case, make_member):
    case, manager = closed_case
    user = member_on_team(make_member, case, acting_role(route), manager)
    client = signed_in_as(user)
    before = snapshot(case)
    response = getattr(client, method)(
        url_for_case(route, case.reference), {}, content_type="application/json"
    )
    if route.name in ALLOWED_ON_CLOSED:
        assert response.status_code != 409 or response.json()["error"]["code"] != "closed"
        return
    assert response.status_code == 409, response.content[:300]
    error = response.json()["error"]
    assert error["code"] == "closed" and "Re-open" in error["message"] and error["fields"] == {}
    assert snapshot(case) == before


@pytest.mark.parametrize(("route", "method"), PAGE_WRITES, ids=lambda x: str(getattr(x, "name", x)))
def test_every_page_write_on_a_closed_case_changes_nothing(route, method, closed_case, make_member):
    case, manager = closed_case
    user = member_on_team(make_member, case, acting_role(route), manager)
    client = signed_in_as(user)
    before = snapshot(case)
    response = client.post(url_for_case(route, case.reference), {})
    if route.name in ALLOWED_ON_CLOSED:
        assert b"The case is closed" not in response.content
        return
    assert response.status_code == 409
    assert (
        "The case is closed" in response.content.decode() and "Re-open it first" in response.content.decode()
    )
    assert snapshot(case) == before


def test_htmx_gets_the_refusal_in_place_of_the_main_area(closed_case):
    case, manager = closed_case
    response = signed_in_as(manager).post(
        reverse("cases:exploitation", args=[case.reference]), {}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200 and response["HX-Retarget"] == "#main"
    assert "The case is closed" in response.content.decode()


def test_an_outsider_gets_404_not_409_so_a_closed_case_stays_unknown(closed_case, make_member):
    case, _ = closed_case
    outsider = signed_in_as(make_member(Role.CASE_MANAGER))
    url = reverse("api-case-exploitation", args=[case.reference])
    response = outsider.put(url, {}, content_type="application/json")
    assert response.status_code == 404


# --- the services (what commands call) ---


def test_the_services_refuse_writes_on_a_closed_case_and_take_the_exceptions(closed_case):
    case, manager = closed_case
    actor = {"actor": manager, "membership": manager.membership}
    case = Case.objects.get(pk=case.pk)
    person = case.persons.get()
    with pytest.raises(CaseClosed):  # the reason, for a command as for a page
        case_exploitation_set(**actor, case=case, forms=[], expected_version=case.version)
    with pytest.raises(CaseClosed):
        person_alias_add(**actor, person=person, name="Xy Zw")
    with pytest.raises(PermissionDenied):
        consent_record(
            **actor, case=case, purpose=ConsentPurpose.STATISTICS, given_by="person", language="ron"
        )
    note = case_note_add(**actor, case=case, body="Closed: the person moved abroad.", tier=Tier.METADATA)
    assert CaseNote.objects.filter(pk=note.pk).exists()


def test_re_opening_restores_every_write(closed_case):
    case, manager = closed_case
    reopened = reopen(manager, case)
    assert reopened.phase != Phase.CLOSED and reopened.closed_at is None
    assert policy.can_manage_team(manager.membership, reopened)
    assert policy.tiers_writable(manager.membership, reopened) >= {Tier.METADATA, Tier.IDENTITY}
    changed = case_exploitation_set(
        actor=manager,
        membership=manager.membership,
        case=reopened,
        forms=[],
        expected_version=reopened.version,
    )
    assert changed.version == reopened.version + 1


def test_after_re_opening_the_api_and_pages_write_again(closed_case):
    case, manager = closed_case
    client = signed_in_as(manager)
    url = reverse("api-case-exploitation", args=[case.reference])
    assert client.put(url, {"forms": [], "expected_version": Case.objects.get(pk=case.pk).version},
                      content_type="application/json").status_code == 409  # fmt: skip
    response = client.post(
        reverse("api-case-transition", args=[case.reference]),
        {
            "transition": "reopen",
            "reason": "new facts",
            "expected_version": Case.objects.get(pk=case.pk).version,
        },
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    again = client.put(url, {"forms": [], "expected_version": Case.objects.get(pk=case.pk).version},
                       content_type="application/json")  # fmt: skip
    assert again.status_code == 200, again.content


# --- the pages hide the forms ---

FORM_TARGET = re.compile(r'(?:action|hx-post|hx-put|hx-patch|hx-delete)="([^"]+)"')
# A form that only asks for a page (a search, the summary's language) writes nothing.
READING_FORM = re.compile(r'<form[^>]*\smethod="get"[^>]*>', re.IGNORECASE)
LAZY_FORM = re.compile(r'hx-get="([^"]+/forms/[^"]+)"')


def _route_on_a_case(url: str) -> str | None:
    url = url.split("#")[0].split("?")[0]
    if not url.startswith("/"):
        return None
    try:
        match = resolve(url)
    except Resolver404:
        return None
    return match.view_name if "reference" in match.kwargs else None


def write_targets(client, html: str) -> set[str]:
    """The routes the page's forms and HTMX writes go to on a case, the lazily fetched forms included."""
    pages = [html]
    for url in set(LAZY_FORM.findall(html)):
        response = client.get(url, HTTP_HX_REQUEST="true")
        if response.status_code == 200:
            pages.append(response.content.decode())
    writing = [READING_FORM.sub("", page) for page in pages]
    names = {_route_on_a_case(url) for page in writing for url in FORM_TARGET.findall(page)}
    return names - {None}


def test_the_case_page_of_a_closed_case_shows_only_the_forms_it_still_takes(closed_case):
    case, manager = closed_case
    client = signed_in_as(manager)
    closed_page = client.get(reverse("cases:detail_full", args=[case.reference])).content.decode()
    assert "This case is closed." in closed_page and "re-opens it under Phase and status" in closed_page
    closed_targets = write_targets(client, closed_page)
    assert closed_targets <= set(ALLOWED_ON_CLOSED)
    assert "cases:transition" in closed_targets, "the re-open form stays"
    assert "cases:notes" in closed_targets, "a note explaining why can be added"
    reopen(manager, case)
    open_page = client.get(reverse("cases:detail_full", args=[case.reference])).content.decode()
    assert "This case is closed." not in open_page
    assert write_targets(client, open_page) - set(ALLOWED_ON_CLOSED), (
        "an open case shows its forms (the test can fail)"
    )


AREA_PAGES = [
    route
    for route in ROUTES
    if set(route.kwarg_candidates) == {"reference"}
    and not route.pattern.startswith("api/")
    and is_case_work(route)
]


@pytest.mark.parametrize("route", AREA_PAGES, ids=str)
def test_every_page_of_a_closed_case_says_so_and_offers_no_write_it_refuses(route, closed_case, make_member):
    case, manager = closed_case
    client = signed_in_as(member_on_team(make_member, case, acting_role(route), manager))
    response = client.get(reverse(route.name, args=[case.reference]))
    if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
        return  # a download, or a page for another role
    html = response.content.decode()
    assert write_targets(client, html) <= set(ALLOWED_ON_CLOSED)
    assert "This case is closed." in html and "re-opens it under Phase and status" in html


# --- every area's services ask the same policy ---


def _area_checks():
    from palermo.assistance.services import placements, plans, referrals
    from palermo.children.services import best_interest, care, solutions, tracing
    from palermo.identification.services import decisions, legal, screenings
    from palermo.reflection.services import common as reflection
    from palermo.residence.services import common as residence

    return [
        screenings.may_answer,
        legal.may_assess,
        decisions.may_decide,
        reflection.may_open_period,
        reflection.may_change_period,
        reflection.may_record_entitlements,
        residence.may_record_application,
        residence.may_decide,
        residence.may_assess,
        referrals.may_refer,
        plans.may_plan,
        placements.may_place,
        tracing.may_trace,
        tracing.may_record_result,
        solutions.may_decide,
        care.may_decide_care,
        best_interest.may_record_best_interest,
    ]


AREA_CHECKS = _area_checks()


@pytest.mark.parametrize("check", AREA_CHECKS, ids=lambda check: f"{check.__module__}.{check.__name__}")
def test_every_areas_services_refuse_a_closed_case_until_it_is_re_opened(check, make_member):
    manager = make_member(Role.CASE_MANAGER)
    case = CaseFactory(team=(manager,), is_child=True)
    writers = [manager] + [make_member(role) for role in CASE_WORKERS if role != Role.CASE_MANAGER]
    for user in writers[1:]:
        team_row(case, user.membership.agency)
    fresh = Case.objects.get(pk=case.pk)
    allowed = [user for user in writers if check(user.membership, fresh)]
    assert allowed, "some role writes this on an open case"
    closed = close(manager, case)
    assert not any(check(user.membership, Case.objects.get(pk=closed.pk)) for user in writers)
    reopened = reopen(manager, case)
    assert all(check(user.membership, Case.objects.get(pk=reopened.pk)) for user in allowed)


def test_a_closed_case_takes_a_note_and_a_consent_withdrawal_through_the_api_and_pages(make_member):
    manager = make_member(Role.CASE_MANAGER)
    case = CaseFactory(team=(manager,))
    actor = {"actor": manager, "membership": manager.membership}
    given = {"purpose": ConsentPurpose.STATISTICS, "given_by": "person", "language": "ron"}
    consents = [consent_record(**actor, case=case, **given) for _ in range(2)]
    close(manager, case)
    client = signed_in_as(manager)
    note = client.post(
        reverse("api-case-notes", args=[case.reference]),
        {"body": "Closed after the person moved abroad.", "tier": 1},
        content_type="application/json",
    )
    assert note.status_code == 201, note.content
    withdrawn = client.post(
        reverse("api-case-consent-withdraw", args=[case.reference, consents[0].pk]),
        {"note": "asked by phone"},
        content_type="application/json",
    )
    assert withdrawn.status_code == 200, withdrawn.content
    page = client.post(
        reverse("cases:consent_withdraw", args=[case.reference, consents[1].pk]), {"withdraw-note": ""}
    )
    assert page.status_code == 302
    assert all(consent.withdrawn_at for consent in type(consents[0]).objects.filter(case=case))
    added = client.post(
        reverse("cases:notes", args=[case.reference]), {"body": "Why it was closed", "tier": 1}
    )
    assert added.status_code == 302 and CaseNote.objects.filter(case=case).count() == 2
    assert Case.objects.get(pk=case.pk).phase == Phase.CLOSED
