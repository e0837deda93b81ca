"""Deny by default, proven over the whole URLconf: every pattern, including those apps add later.

Each pattern must declare who may use it; anonymous requests are refused unless the pattern is on the short
PUBLIC allow-list below; a member acting in a role outside a view's declared roles gets 404, and a member in
one of them does not.
"""

from __future__ import annotations

import itertools
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from django.http import Http404
from django.test import Client, RequestFactory
from django.urls import NoReverseMatch, URLPattern, URLResolver, get_resolver, reverse
from django.urls.converters import IntConverter, SlugConverter, UUIDConverter

from palermo.access.declare import PUBLIC, SIGNED_IN, accepts_client_token, declared_roles
from palermo.access.middleware import RoleRequiredMiddleware
from palermo.accounts.active import SESSION_KEY
from palermo.accounts.models import User
from palermo.accounts.roles import Role
from tests.factories import PersonaFactory, UserFactory, enrol_totp
from tests.module_data import fast_passwords, kept_for_the_module, member_afresh

# The whole anonymous surface. Adding a name here is a security decision: say why in the review.
PUBLIC_URL_NAMES = {
    "accounts:login",
    "set_language",
    "core:health",
    # The proxy's readiness probe and the Prometheus scraper (decision 0045): neither says anything about a
    # record; /metrics answers 404 unless the request carries PALERMO_METRICS_TOKEN.
    "core:ready",
    "core:metrics",
    # Reached from an email before signing in: an invitation link and a forgotten password (0032).
    "accounts:invitation",
    "accounts:invitation_password",
    "accounts:password_reset",
    "accounts:password_reset_sent",
    "accounts:password_reset_confirm",
    "accounts:password_reset_done",
    # The public portal (docs/decisions/0046): rights, self-check, services and the contact request, for
    # people who have no account and must leave no trace.
    "portal:root",
    "portal:home",
    "portal:rights",
    "portal:check",
    "portal:next",
    "portal:help",
    "portal:contact",
    # The transnational inbox (docs/decisions/0051): a partner abroad POSTs a package, authenticated by its
    # signature with the partner's registered key; anything else is refused and nothing is kept.
    "api-returns-inbox",
}

LOGIN_PATH = "/accounts/login/"
DUMMY_BY_CONVERTER = {IntConverter: ["1"], UUIDConverter: [str(uuid.UUID(int=1))], SlugConverter: ["x"]}
DUMMY_BY_KWARG = {"format": ["json"], "lang": ["en"]}
DUMMY_FALLBACK = ["1", "x", str(uuid.UUID(int=1)), "json"]


@dataclass(frozen=True)
class Route:
    name: str  # namespaced, e.g. "core:home"
    pattern: str  # for failure messages
    callback: Any
    kwarg_candidates: dict[str, list[str]]

    @property
    def has_kwargs(self) -> bool:
        return bool(self.kwarg_candidates)

    def __str__(self) -> str:
        return f"{self.name} ({self.pattern})"


def _kwarg_candidates(pattern: Any) -> dict[str, list[str]]:
    candidates: dict[str, list[str]] = {}
    converters = getattr(pattern, "converters", {}) or {}
    regex = pattern.regex
    for name in regex.groupindex:
        converter = converters.get(name)
        candidates[name] = DUMMY_BY_KWARG.get(name) or DUMMY_BY_CONVERTER.get(type(converter), DUMMY_FALLBACK)
    return candidates


def walk(
    patterns: list[Any], namespace: str = "", prefix: str = "", inherited: dict[str, list[str]] | None = None
) -> Iterator[Route]:
    """Every leaf pattern, depth first through includes (i18n prefixes, DRF routers, namespaces)."""
    inherited = inherited or {}
    for entry in patterns:
        text = prefix + str(entry.pattern)
        own = _kwarg_candidates(entry.pattern)
        if isinstance(entry, URLResolver):
            inner_namespace = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from walk(entry.url_patterns, inner_namespace, text, {**inherited, **own})
        elif isinstance(entry, URLPattern):
            name = f"{namespace}{entry.name}" if entry.name else ""
            yield Route(name, text, entry.callback, {**inherited, **own})


ROUTES = list(walk(get_resolver().url_patterns))


def url_of(route: Route) -> str:
    """Reverse the route with the first dummy values its converters accept."""
    names = list(route.kwarg_candidates)
    for values in itertools.product(*(route.kwarg_candidates[n] for n in names)):
        try:
            return reverse(route.name, kwargs=dict(zip(names, values, strict=True)))
        except NoReverseMatch:
            continue
    raise AssertionError(f"{route}: no dummy value fits its URL parameters; extend DUMMY_BY_CONVERTER")


def test_the_walk_goes_through_i18n_prefixes_and_drf_routers():
    from django.conf.urls.i18n import i18n_patterns
    from django.urls import include, path
    from rest_framework import routers, viewsets

    class ThingViewSet(viewsets.ViewSet):
        def list(self, request: Any) -> None: ...
        def retrieve(self, request: Any, pk: str) -> None: ...

    router = routers.DefaultRouter()
    router.register("things", ThingViewSet, basename="thing")
    patterns = [
        *i18n_patterns(path("portal/<slug:topic>/", lambda request, topic: None, name="portal-topic")),
        path("api/", include((router.urls, "demo"), namespace="demo")),
    ]
    routes = {route.name: route for route in walk(patterns)}
    assert routes["portal-topic"].kwarg_candidates == {"topic": ["x"]}
    assert "demo:thing-detail" in routes and "demo:thing-list" in routes
    assert routes["demo:thing-detail"].kwarg_candidates["pk"] == DUMMY_FALLBACK
    assert any(r.kwarg_candidates.get("format") == ["json"] for r in routes.values())


def test_the_walk_finds_the_known_routes():
    names = {route.name for route in ROUTES}
    assert {"core:home", "accounts:login", "api-me", "api-schema", "set_language"} <= names
    assert names >= PUBLIC_URL_NAMES, "an allow-listed name no longer exists; shorten the list"


@pytest.mark.parametrize("route", ROUTES, ids=str)
def test_every_route_is_named_and_declares_its_roles(route: Route):
    assert route.name, f"{route.pattern}: every URL pattern needs a name (the allow-list works by name)"
    roles = declared_roles(route.callback)
    assert roles is not None, f"{route}: the view declares no roles (use palermo.access.declare)"
    if roles == PUBLIC:
        assert route.name in PUBLIC_URL_NAMES, f"{route} is public but not on the PUBLIC allow-list"
    elif roles != SIGNED_IN:
        assert isinstance(roles, frozenset) and roles and roles <= set(Role), f"{route}: bad roles {roles!r}"


def refused(response: Any) -> bool:
    if response.status_code == 302:
        return response["Location"].startswith(LOGIN_PATH)
    return response.status_code in {401, 403, 404, 405}


@pytest.mark.django_db
@pytest.mark.parametrize("route", [r for r in ROUTES if r.name not in PUBLIC_URL_NAMES], ids=str)
@pytest.mark.parametrize("method", ["get", "post"])
def test_anonymous_requests_are_refused(route: Route, method: str):
    response = getattr(Client(), method)(url_of(route))
    assert refused(response), f"anonymous {method.upper()} {route} answered {response.status_code}"


# Views that authenticate registered client systems by bearer token, without a session. Adding a name here
# is a security decision, like PUBLIC_URL_NAMES.
# The partner NRMs' question (linkage, decision 0043) is signed with the partner's shared secret.
CLIENT_TOKEN_URL_NAMES = {"api-reflection-lookup", "api-linkage-partner-question"}


@pytest.mark.django_db
@pytest.mark.parametrize("route", [r for r in ROUTES if r.name not in PUBLIC_URL_NAMES], ids=str)
def test_an_unknown_bearer_token_opens_nothing(route: Route):
    response = Client().post(url_of(route), HTTP_AUTHORIZATION="Bearer not-a-registered-token")
    assert refused(response), f"bearer POST {route} answered {response.status_code}"


def test_only_listed_views_accept_client_tokens():
    accepting = {route.name for route in ROUTES if accepts_client_token(route.callback)}
    assert accepting == CLIENT_TOKEN_URL_NAMES


# Public routes that answer only a request carrying their own token, and 404 otherwise (tested with the token
# in tests/operations/test_monitoring.py).
TOKEN_GATED = {"core:metrics"}
# Public routes that take only a POSTed, signed package (tested in tests/returns/test_delivery.py).
TOKEN_GATED |= {"api-returns-inbox"}


@pytest.mark.django_db
@pytest.mark.parametrize("route", [r for r in ROUTES if r.name in PUBLIC_URL_NAMES - TOKEN_GATED], ids=str)
def test_public_routes_answer_anonymous_users(route: Route):
    response = Client().get(url_of(route))
    assert response.status_code < 400, f"public {route} answered {response.status_code}"


def role_routes() -> list[Route]:
    """Routes limited to a set of roles (or to any member), as opposed to public and signed-in pages."""
    return [r for r in ROUTES if isinstance(declared_roles(r.callback), frozenset)]


def outsider_role(roles: frozenset[Role]) -> Role | None:
    """One role not in the set, stable from run to run; None when every role may enter."""
    outside = sorted(set(Role) - roles)
    return outside[0] if outside else None


# Per role (None: no membership), the persona's user and membership primary keys.
Personas = dict[Role | None, tuple[int, int | None]]


@pytest.fixture(scope="module")
def personas(django_db_setup: None, django_db_blocker: Any) -> Iterator[Personas]:
    """For each role, a member in it (in an agency of the role's first typical type, with a confirmed
    authenticator, as ``make_member`` makes one); under ``None``, a user with no membership at all past the
    second factor. Built once for the module's role checks (tests/module_data.py: what a test writes, its
    session for one, is rolled back after it)."""
    with kept_for_the_module(django_db_blocker):
        with django_db_blocker.unblock(), fast_passwords():
            built: Personas = {}
            for role in Role:
                member = PersonaFactory(role=role)
                built[role] = (member.pk, member.membership.pk)
            nobody = UserFactory()
            enrol_totp(nobody)
            built[None] = (nobody.pk, None)
        yield built


@pytest.fixture
def persona(personas: Personas, db: None) -> Callable[[Role | None], User]:
    """``persona(role)``: the module's member in ``role`` (``None``: the user with no membership), read
    afresh for the test."""

    def read(role: Role | None) -> User:
        return member_afresh(*personas[role])

    return read


@pytest.mark.django_db
@pytest.mark.parametrize("route", role_routes(), ids=str)
def test_a_member_outside_the_declared_roles_gets_404(route: Route, persona, client_for):
    roles = declared_roles(route.callback)
    outsider = outsider_role(roles)
    # For views open to any member, the outsider is a signed-in user with no membership at all (past the
    # second factor, which everyone passes before anything else).
    client = client_for(persona(outsider))
    for method in ("get", "post"):
        response = getattr(client, method)(url_of(route))
        assert response.status_code == 404, f"{outsider or 'no membership'}: {method.upper()} {route}"


@pytest.mark.django_db
@pytest.mark.parametrize("route", role_routes(), ids=str)
def test_a_member_in_a_declared_role_is_let_through(route: Route, persona, client_for):
    insider = sorted(declared_roles(route.callback))[0]
    client = client_for(persona(insider))
    if not route.has_kwargs:
        response = client.get(url_of(route))
        assert response.status_code != 404, f"{insider}: GET {route} answered 404"
        assert response.status_code < 500
    # With dummy ids the view itself may rightly say 404; the role check alone must let the role through.
    request = RequestFactory().get(url_of(route))
    request.user = client.user
    request.session = {SESSION_KEY: client.user.membership.pk}
    assert RoleRequiredMiddleware(lambda r: None).process_view(request, route.callback, (), {}) is None


@pytest.mark.django_db
@pytest.mark.parametrize("route", role_routes(), ids=str)
def test_the_role_check_refuses_the_outsider_before_the_view_runs(route: Route, persona):
    outsider = outsider_role(declared_roles(route.callback))
    request = RequestFactory().get(url_of(route))
    request.user = persona(outsider)
    request.session = {}
    with pytest.raises(Http404):
        RoleRequiredMiddleware(lambda r: None).process_view(request, route.callback, (), {})
