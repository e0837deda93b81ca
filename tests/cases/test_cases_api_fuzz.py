"""The case API fuzzed from its own OpenAPI schema: no server error, every answer as the schema says.

Schemathesis draws requests for every case operation (cases, lifecycle, notes, documents, timeline) and sends
them in-process through the WSGI application, signed in as a case manager on a real case, with a CSRF token.
Path references are sometimes the real case, sometimes whatever the schema allows.
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
from tests.api.openapi import served_schema
from tests.cases.casework import make_case, put_on_team

pytestmark = pytest.mark.django_db

CSRF = "C" * 32  # a valid CSRF secret: cookie and header carry the same one
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
EXAMPLES = 15
MY_PATHS = (
    r"^/api/v1/cases/(mine/)?$"
    r"|^/api/v1/cases/\{reference\}/((transition|exploitation|timeline|contact-channel)/)?$"
    r"|^/api/v1/cases/\{reference\}/(notes|documents)/"
)


def api_schema(path_regex: str) -> Any:
    """The API's schema as served, limited to the paths matching `path_regex`, called through the WSGI app."""
    schema = schemathesis.openapi.from_dict(served_schema())
    schema.app = get_wsgi_application()
    return schema.include(path_regex=path_regex)


def case_api_schema() -> Any:
    # The case screens' operations: lists, one case, lifecycle, timeline, notes and documents.
    return api_schema(MY_PATHS)


@contextmanager
def connections_kept_open() -> Iterator[None]:
    """Requests go through the real WSGI handler, whose request signals close database connections; the
    test's own transaction must survive them (Django's test client disconnects them the same way, and
    connects them again after each of its own requests, so this wraps the fuzzing only)."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


SCHEMA = case_api_schema()
OPERATIONS = [result.ok() for result in SCHEMA.get_all_operations()]


@pytest.mark.parametrize("operation", OPERATIONS, ids=lambda op: op.label)
def test_the_case_api_answers_as_its_schema_says(operation, make_member, client_for):
    manager = make_member(Role.CASE_MANAGER)
    case = make_case(manager.membership.agency, forms=("ForcedLabour",))
    put_on_team(case, manager)
    session = client_for(manager).cookies["sessionid"].value
    cookies = {"sessionid": session, "csrftoken": CSRF}

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(drawn=operation.as_strategy(), real_reference=st.booleans())
    def run(drawn: Any, real_reference: bool) -> None:
        if real_reference and "reference" in (drawn.path_parameters or {}):
            drawn.path_parameters["reference"] = case.reference
        response = drawn.call(headers={"X-CSRFToken": CSRF}, cookies=cookies)
        drawn.validate_response(response, checks=CHECKS)

    with connections_kept_open():
        run()


def test_every_case_operation_is_fuzzed():
    labels = {operation.label for operation in OPERATIONS}
    assert "POST /api/v1/cases/{reference}/transition/" in labels
    assert "POST /api/v1/cases/{reference}/documents/" in labels
    assert "PATCH /api/v1/cases/{reference}/notes/{note_id}/" in labels
    assert "POST /api/v1/cases/{reference}/documents/{document_id}/withdraw/" in labels
    assert "PUT /api/v1/cases/{reference}/contact-channel/" in labels
    assert len(labels) == 17
