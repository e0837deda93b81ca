"""The REST API against its own OpenAPI schema: schemathesis finds no server error and no response that
breaks the schema.

Schemathesis reads `/api/schema/` from the Django WSGI application and sends the requests it generates from it
(valid ones, and invalid ones that must be refused with a 4xx) through the same application, as a signed-in,
two-factor-verified case manager whose agency leads a few synthetic cases and is on their teams. Every
operation is a test of its own (so pytest-xdist spreads them over its workers), checked for server errors
(5xx) and for responses that differ from what the schema documents.

The operations are known when the tests are collected, from drf-spectacular's generator (no request and no
database needed); the schema the fuzzing uses is the one the application serves, and the module checks
that it lists exactly those operations, so none escapes. The persona and its cases are built once per
module (and per xdist worker) in a transaction of their own; each operation's test runs in a savepoint
inside it, rolled back after, so every operation meets the same fresh data and none sees what another's
requests wrote.

Bounded and reproducible: at most 24 requests per operation (EXAMPLES), derandomized (the same requests on
every run, no example database). The persona is really signed in: the schema itself is served only to a
member, so loading it proves the session. A path's `reference` is, one time in two, the reference of
a case the persona may see, so the fuzzing reaches the case record and not only its 404.

Schemathesis's own pytest loader for schemas built in fixtures (`schemathesis.pytest.from_fixture`) does not
run under pytest 9 (it renames test nodes through an attribute pytest 9 removed), so each operation gets its
Hypothesis test here, from `APIOperation.as_strategy`.
"""

from __future__ import annotations

import datetime
import hashlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache
from typing import Any

import pytest
import schemathesis
from django.contrib.sessions.models import Session
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.middleware.csrf import get_token
from django.test import RequestFactory
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode

from palermo.access.services import case_team_open
from palermo.accounts.models import Membership
from palermo.accounts.roles import AgencyType, Role
from palermo.demo import synthetic
from tests.api.openapi import generated_schema
from tests.conftest import signed_in_as
from tests.factories import AgencyFactory, PersonaFactory, typical_agency_type
from tests.module_data import fast_passwords, kept_for_the_module

# Requests per operation: valid ones, and invalid ones (which must be refused with a documented 4xx).
EXAMPLES = {GenerationMode.POSITIVE: 16, GenerationMode.NEGATIVE: 8}
SYNTHETIC_CASES = 4
CHECKS = [schemathesis.checks.not_a_server_error, schemathesis.checks.response_schema_conformance]
METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")


@cache
def operation_labels() -> tuple[str, ...]:
    """Every operation of the schema, labelled as schemathesis labels them ("GET /api/v1/cases/")."""
    paths = generated_schema()["paths"]
    return tuple(
        f"{method.upper()} {path}" for path, item in paths.items() for method in item if method in METHODS
    )


@dataclass(frozen=True)
class ApiSession:
    session_key: str
    cookie: str
    csrf_token: str
    references: tuple[str, ...]

    def app(self) -> Callable[..., Any]:
        """The project's WSGI application, reached with this session's cookies as a browser sends them. (A
        Cookie header given per request would not do: the WSGI test client replaces it with its own jar's.)"""
        handler = WSGIHandler()

        def signed_in(environ: dict[str, Any], start_response: Any) -> Any:
            environ["HTTP_COOKIE"] = self.cookie
            environ["HTTP_X_CSRFTOKEN"] = self.csrf_token
            return handler(environ, start_response)

        return signed_in


@dataclass(frozen=True)
class ApiWorld:
    schema: Any
    session: ApiSession

    def signed_in(self) -> bool:
        """The persona's session is still live (the schema was loaded through it)."""
        return Session.objects.filter(
            session_key=self.session.session_key, expire_date__gt=timezone.now()
        ).exists()


def csrf_pair() -> tuple[str, str]:
    """A CSRF cookie value and a matching header token, as a page holding the cookie would send them."""
    request = RequestFactory().get("/")
    token = get_token(request)
    return request.META["CSRF_COOKIE"], token


@contextmanager
def transaction_kept_open() -> Iterator[None]:
    """The WSGI handler closes the database connection around each request; inside the test's transaction
    that would end it (on PostgreSQL). Django's own test client unhooks the same handler for each request
    (and hooks it again after), so this holds after the last use of a test client."""
    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    try:
        yield
    finally:
        for signal in (request_started, request_finished):
            signal.connect(close_old_connections)


def signed_in_case_manager() -> ApiSession:
    """A case manager, signed in and verified, whose agency leads a few synthetic cases and is on their
    teams."""
    agency = AgencyFactory(type=AgencyType(typical_agency_type(Role.CASE_MANAGER)))
    user = PersonaFactory(role=Role.CASE_MANAGER, agency=agency, user=None, two_factor=True)
    membership: Membership = user.membership
    loaded = synthetic.bulk_load(
        synthetic.generate_cases(SYNTHETIC_CASES, seed=4, until=datetime.date(2024, 1, 1)),
        lead_agency=lambda spec: membership.agency,
        actor=user,
        keep=True,
    )
    for case in loaded.cases:
        case_team_open(actor=user, membership=membership, case=case, agencies=[membership.agency])
    client = signed_in_as(user)
    cookie, token = csrf_pair()
    session_key = client.cookies["sessionid"].value
    return ApiSession(
        session_key=session_key,
        cookie=f"sessionid={session_key}; csrftoken={cookie}",
        csrf_token=token,
        references=tuple(case.reference for case in loaded.cases),
    )


@pytest.fixture(scope="module")
def api_world(django_db_setup: None, django_db_blocker: Any) -> Iterator[ApiWorld]:
    """The persona, its cases and the served schema, built once for the module (tests/module_data.py)."""
    with kept_for_the_module(django_db_blocker):
        with django_db_blocker.unblock(), fast_passwords():
            session = signed_in_case_manager()
            with transaction_kept_open():
                schema = schemathesis.openapi.from_wsgi("/api/schema/?format=json", session.app())
        yield ApiWorld(schema=schema, session=session)


def with_known_reference(case: Any, references: tuple[str, ...]) -> Any:
    """One time in two (decided by the generated value, so runs repeat), point the path at a visible case."""
    parameters = case.path_parameters or {}
    generated = parameters.get("reference")
    if generated is not None:
        digest = hashlib.sha256(str(generated).encode()).digest()
        if digest[0] % 2 == 0:
            parameters["reference"] = references[digest[1] % len(references)]
    return case


def fuzz(operation: Any, references: tuple[str, ...]) -> None:
    """Every generation mode of one operation, each with its own Hypothesis run."""
    for mode, examples in EXAMPLES.items():

        @settings(
            max_examples=examples,
            derandomize=True,
            database=None,
            deadline=None,
            suppress_health_check=list(HealthCheck),
        )
        @given(case=operation.as_strategy(generation_mode=mode))
        def run(case: Any) -> None:
            with_known_reference(case, references).call_and_validate(checks=CHECKS)

        run()


def test_the_served_schema_lists_the_operations_fuzzed(api_world: ApiWorld, db: None) -> None:
    # With ``db``, pytest-django runs this test among the operations' tests (it puts the database tests
    # first), so the module's world is built once for all of them rather than again for this one.
    served = tuple(result.ok().label for result in api_world.schema.get_all_operations())
    assert len(served) >= 2, "the schema lists the API's operations"
    assert sorted(served) == sorted(operation_labels())


@pytest.mark.parametrize("label", operation_labels())
def test_the_operation_answers_without_server_errors_and_as_documented(
    api_world: ApiWorld, db: None, label: str
) -> None:
    operation = api_world.schema.find_operation_by_label(label)
    assert operation is not None, f"the served schema has no {label}"
    assert api_world.signed_in(), "the persona's session has lapsed: the requests would only meet a 401"
    with transaction_kept_open():
        fuzz(operation, api_world.session.references)
