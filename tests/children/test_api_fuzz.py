"""The children API fuzzed from its own OpenAPI schema, on a child's case that has a determination, a family
assessment and one record of each kind: no server error, every answer as the schema says. Path references
and record ids are sometimes the real ones, sometimes whatever the schema allows."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from palermo.children.models import CareType
from palermo.children.services.care import care_arrange
from palermo.children.services.tracing import tracing_request
from tests.cases.test_cases_api_fuzz import CSRF, connections_kept_open
from tests.children.conftest import VIEWS, assess_family, decide_return, determine, text

pytestmark = pytest.mark.django_db

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
EXAMPLES = 12


def _schema() -> Any:
    import schemathesis
    from django.core.wsgi import get_wsgi_application

    from tests.api.openapi import served_schema

    schema = schemathesis.openapi.from_dict(served_schema())
    schema.app = get_wsgi_application()
    return schema.include(path_regex=r"^/api/v1/children/")


SCHEMA = _schema()
OPERATIONS = [result.ok() for result in SCHEMA.get_all_operations()]


def records(manager: Any, case: Any) -> list[int]:
    """One record of each kind, so action paths can name a real one."""
    from django.utils import timezone

    determine(manager, case)
    family = assess_family(manager, case)
    who = {"actor": manager, "membership": manager.membership, "case": case}
    care = care_arrange(**who, type=CareType.FOSTER, starts_on=timezone.localdate(), reasons=text(), **VIEWS)
    tracing = tracing_request(**who, requested_on=timezone.localdate(), details=text())
    solution = decide_return(manager, case, family_assessment=family)  # one decided before 0050
    return [family.pk, care.pk, tracing.pk, solution.pk]


@pytest.mark.parametrize("operation", OPERATIONS, ids=lambda op: op.label)
def test_the_children_api_answers_as_its_schema_says(operation, manager, child_case, client_for):
    ids = records(manager, child_case)
    session = client_for(manager).cookies["sessionid"].value
    cookies = {"sessionid": session, "csrftoken": CSRF}

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(drawn=operation.as_strategy(), real=st.booleans(), which=st.sampled_from(ids))
    def run(drawn: Any, real: bool, which: int) -> None:
        parameters = drawn.path_parameters or {}
        if real and "reference" in parameters:
            parameters["reference"] = child_case.reference
        if real and "id" in parameters:
            parameters["id"] = which
        response = drawn.call(headers={"X-CSRFToken": CSRF}, cookies=cookies)
        drawn.validate_response(response, checks=CHECKS)

    with connections_kept_open():
        run()


def test_every_children_operation_is_fuzzed():
    labels = {operation.label for operation in OPERATIONS}
    assert "POST /api/v1/children/cases/{reference}/solutions/" in labels
    assert "POST /api/v1/children/cases/{reference}/followups/{id}/" in labels
    assert len(labels) == 24
