"""The transnational inbox fuzzed from its own OpenAPI schema, as a partner's system reaches it (no session,
no token): whatever the body, no server error, every answer as the schema says, and nothing kept."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings

from palermo.returns.models import PackageDirection, TransnationalPackage
from tests.cases.test_cases_api_fuzz import CHECKS, api_schema, connections_kept_open

pytestmark = pytest.mark.django_db

EXAMPLES = 20


SCHEMA = api_schema(r"^/api/v1/returns/inbox/$")
OPERATIONS = [result.ok() for result in SCHEMA.get_all_operations()]


def test_the_inbox_is_documented_without_a_session() -> None:
    assert [operation.label for operation in OPERATIONS] == ["POST /api/v1/returns/inbox/"]
    assert not OPERATIONS[0].definition.raw.get("security", [{}])[0]


@pytest.mark.parametrize("operation", OPERATIONS, ids=lambda op: op.label)
def test_the_inbox_answers_as_its_schema_says(operation: Any) -> None:
    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(drawn=operation.as_strategy())
    def run(drawn: Any) -> None:
        response = drawn.call()
        drawn.validate_response(response, checks=CHECKS)
        assert response.status_code in (400, 413, 429), response.status_code

    with connections_kept_open():
        run()
    assert not TransnationalPackage.objects.filter(direction=PackageDirection.RECEIVED).exists()
