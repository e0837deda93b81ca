"""The API's exception handler on its own: each refusal to its status and code, messages that quote nothing
sent, and anything else left to be a server error."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.http import Http404
from rest_framework import exceptions, serializers

from palermo.core.api_errors import Refusal, TooLarge, handle, shows_current
from palermo.core.concurrency import StaleEdit
from palermo.core.decisions import ChildViewsMissing, DecisionBlocked

SENT = "Zyxwv-sent-value"


def error(exc: Exception) -> tuple[int, dict[str, Any]]:
    response = handle(exc, {})
    assert response is not None
    return response.status_code, response.data["error"]


@pytest.mark.parametrize(
    ("exc", "status", "code"),
    [
        (Http404(), 404, "not_found"),
        (PermissionDenied("this membership may not write T3"), 404, "not_found"),
        (Group.DoesNotExist(), 404, "not_found"),
        (exceptions.NotFound(), 404, "not_found"),
        (exceptions.NotAuthenticated(), 401, "not_authenticated"),
        (exceptions.PermissionDenied(), 403, "forbidden"),
        (exceptions.ParseError(f"JSON parse error near {SENT}"), 400, "malformed"),
        (exceptions.MethodNotAllowed("PUT"), 405, "method_not_allowed"),
        (exceptions.UnsupportedMediaType(SENT), 415, "unsupported_media_type"),
        (DecisionBlocked("A best-interest determination comes first."), 409, "blocked"),
        (TooLarge(), 413, "too_large"),
    ],
)
def test_each_refusal_has_its_status_and_code(exc: Exception, status: int, code: str) -> None:
    got_status, body = error(exc)
    assert (got_status, body["code"], body["fields"]) == (status, code, {})
    assert body["message"] and SENT not in body["message"]
    assert "current" not in body


def test_a_not_allowed_write_says_no_more_than_a_missing_record() -> None:
    assert error(PermissionDenied("only the author may edit a note")) == error(Http404())


def test_a_service_validation_error_is_by_field_with_the_whole_request_as_message() -> None:
    status, body = error(
        ValidationError({"reason": ["Give a reason."], NON_FIELD_ERRORS: ["The case is closed."]})
    )
    assert status == 400 and body["code"] == "invalid"
    assert body["message"] == "The case is closed." and body["fields"] == {"reason": ["Give a reason."]}
    assert error(ValidationError("Not 100% sure."))[1]["message"] == "Not 100% sure."


def test_messages_that_would_quote_the_value_sent_are_replaced() -> None:
    class Choice(serializers.Serializer):
        kind = serializers.ChoiceField(choices=["a", "b"])

    serializer = Choice(data={"kind": SENT})
    assert not serializer.is_valid()
    drf = error(exceptions.ValidationError(serializer.errors))[1]
    django = error(
        ValidationError(
            "Value %(value)r is not a valid choice.", code="invalid_choice", params={"value": SENT}
        )
    )[1]
    for body in (drf, django):
        assert SENT not in str(body)
    assert drf["fields"] == {"kind": ["Not one of the allowed values."]}


def test_nested_field_errors_are_dotted() -> None:
    detail = {"forms": {1: ["Not one of the allowed values."]}, "answers": [{}, {"answer": ["Required."]}]}
    fields = error(exceptions.ValidationError(detail))[1]["fields"]
    assert fields == {"forms.1": ["Not one of the allowed values."], "answers.1.answer": ["Required."]}


def test_the_childs_views_missing_are_field_errors() -> None:
    status, body = error(ChildViewsMissing({"child_views": "Record the child's views."}))
    assert (status, body["code"], body["fields"]) == (
        400,
        "invalid",
        {"child_views": ["Record the child's views."]},
    )


def test_a_refusal_speaks_in_its_public_message() -> None:
    class Illegal(Refusal):
        public_message = "Not possible from here."

    assert error(Illegal("'reopen' from phase 'identification'"))[1]["message"] == "Not possible from here."


def test_a_stale_edit_carries_the_version_and_the_record_as_the_view_shows_it() -> None:
    current = Group(pk=7)
    current.version = 3  # type: ignore[attr-defined]  # a versioned row, as services lock them

    def save() -> None:
        raise StaleEdit(current, expected_version=2)

    with pytest.raises(StaleEdit) as raised, shows_current(lambda row: {"id": row.pk, "shown": True}):
        save()
    status, body = error(raised.value)
    assert (status, body["code"], body["fields"]) == (409, "stale", {})
    assert body["current"] == {"version": 3, "record": {"id": 7, "shown": True}}


def test_throttling_says_when_to_come_back() -> None:
    response = handle(exceptions.Throttled(wait=41), {})
    assert response is not None and response.status_code == 429 and response["Retry-After"] == "41"
    assert response.data["error"]["code"] == "throttled"


def test_anything_else_is_left_to_be_a_server_error() -> None:
    assert handle(RuntimeError("a bug"), {}) is None
    assert handle(ValueError("a bug"), {}) is None
