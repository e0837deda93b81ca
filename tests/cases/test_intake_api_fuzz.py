"""Intake, person and consent API operations fuzzed from the OpenAPI schema: no server error, every answer
(status, content type, body) as the schema documents it.

Signed in as the first responder who opened a real case (so the fuzzing reaches persons, their parts and
consents, not only 404s), with a draft of theirs; path references and ids point at real records one time in
two.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from palermo.accounts.roles import Role
from palermo.cases.services.intake import intake_draft_create
from palermo.cases.services.person import identity_document_add
from tests.api.openapi import served_schema
from tests.cases.referrals import AN_ANSWER, open_case

pytestmark = pytest.mark.django_db

CSRF = "F" * 32
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
EXAMPLES = 20
PATHS = (
    r"^/api/v1/intake/"
    r"|^/api/v1/cases/\{reference\}/(persons|aliases|citizenships|languages|identity-documents|consents)/"
)


def schema() -> Any:
    loaded = schemathesis.openapi.from_dict(served_schema())
    loaded.app = get_wsgi_application()
    return loaded.include(path_regex=PATHS)


OPERATIONS = [result.ok() for result in schema().get_all_operations()]


@contextmanager
def connection_kept_open() -> Iterator[None]:
    """The WSGI application closes old database connections around each request (Django's test client does
    not, and reconnects that signal after each of its own requests): on PostgreSQL that would close the
    test's own transaction. Keep it open while the fuzzing runs."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


@pytest.mark.parametrize("operation", OPERATIONS, ids=lambda op: op.label)
def test_the_api_answers_as_its_schema_says(operation, make_member, client_for):
    responder = make_member(Role.FIRST_RESPONDER)
    authority = make_member(Role.IDENTIFICATION_AUTHORITY)
    case = open_case(responder, authority.membership.agency)
    person = case.persons.get()
    real = {
        "reference": case.reference,
        "person_id": person.pk,
        "alias_id": person.aliases.get().pk,
        "citizenship_id": person.citizenships.first().pk,
        "language_id": person.languages.first().pk,
        "document_id": identity_document_add(
            actor=responder, membership=responder.membership, person=person, type="passport"
        ).pk,
        "consent_id": case.consents.get().pk,
        "draft_id": intake_draft_create(actor=responder, membership=responder.membership, data=AN_ANSWER).pk,
    }
    session = client_for(responder).cookies["sessionid"].value
    cookies = {"sessionid": session, "csrftoken": CSRF}

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(drawn=operation.as_strategy(), use_real=st.booleans())
    def run(drawn: Any, use_real: bool) -> None:
        if use_real:
            for name in drawn.path_parameters or {}:
                if name in real:
                    drawn.path_parameters[name] = real[name]
        response = drawn.call(headers={"X-CSRFToken": CSRF}, cookies=cookies)
        drawn.validate_response(response, checks=CHECKS)

    with connection_kept_open():
        run()
