"""One error contract for the API (architecture rule 12; docs/decisions/0010-one-api-error-contract.md).

Every answer of 400 or more from /api/ has one JSON shape:

    {"error": {"code": "invalid", "message": "Plain words.", "fields": {"name": ["What is wrong."]}}}

and a stale edit adds the record as it is now: `"current": {"version": 4, "record": {...}}`. API views let
the services' exceptions propagate; `handle` (DRF's EXCEPTION_HANDLER) turns them into that shape:

- Django and DRF `ValidationError`, `ChildViewsMissing`, and any `Refusal` -> 400 `invalid`, per field;
- `Http404`, DRF `NotFound`, a missing row and Django's `PermissionDenied` (not allowed to write) ->
  404 `not_found`: missing and not allowed look the same, as on the pages;
- `StaleEdit` -> 409 `stale` with the current version and the record as the view renders it
  (`shows_current`);
- `DecisionBlocked` -> 409 `blocked`; a write on a closed case (palermo.access.closure) -> 409 `closed`;
- DRF's own (not signed in 401, no second factor 403, parse errors, method, media type, throttling 429 with
  Retry-After) keep their status, in the same shape.

Messages never echo the input (DRF's "“x” is not a valid choice." would): they are the services' own plain
texts, or a fixed sentence for the code. Core imports no domain app: a domain exception that is a plain
refusal subclasses `Refusal`.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, ObjectDoesNotExist, PermissionDenied, SuspiciousOperation
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import InterfaceError, OperationalError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseServerError, JsonResponse
from django.http.multipartparser import MultiPartParserError
from django.template import loader
from django.utils.translation import gettext as _
from django.utils.translation import (
    gettext_lazy,
    gettext_noop,  # marked for translation, translated when sent
)
from django.views.defaults import page_not_found
from drf_spectacular.utils import OpenApiResponse
from rest_framework import exceptions, serializers, status
from rest_framework.response import Response

from palermo.core.concurrency import StaleEdit
from palermo.core.decisions import ChildViewsMissing, DecisionBlocked


class Refusal(Exception):
    """A domain refusal the API answers 400 `invalid`: with `public_message` where the exception's own text is
    for developers, with that text otherwise (plain words, no personal data)."""

    status_code: int = status.HTTP_400_BAD_REQUEST
    code = "invalid"
    public_message: Any = None

    def api_message(self) -> str:
        return str(self.public_message or self)


class TooLarge(Refusal):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    code = "too_large"
    public_message = gettext_lazy("The file is larger than the limit.")


# --- the shape ---------------------------------------------------------------------------------------------


class CurrentSerializer(serializers.Serializer):
    version = serializers.IntegerField(help_text="The version saved since the one the edit stated.")
    record = serializers.JSONField(
        allow_null=True,
        help_text="The record as it is now, as this operation answers it (null if not shown).",
    )


class ErrorBodySerializer(serializers.Serializer):
    code = serializers.CharField(
        help_text=(
            "invalid, malformed, not_authenticated, forbidden, not_found, method_not_allowed, "
            "not_acceptable, stale, blocked, closed, too_large, unsupported_media_type, throttled, "
            "unavailable (503, the database could not be reached: try again after Retry-After), server_error"
        )
    )
    message = serializers.CharField(help_text="Plain words for a person; never the values sent.")
    # DRF's metaclass takes declared fields off the class, so this name does not shadow Serializer.fields.
    fields = serializers.DictField(  # type: ignore[assignment]
        child=serializers.ListField(child=serializers.CharField()),
        help_text="What is wrong with each field sent, by name (dotted for nested fields); may be empty.",
    )
    current = CurrentSerializer(required=False, help_text="Only with `stale`: the record as it is now.")


class ErrorSerializer(serializers.Serializer):
    """Every refusal of the API (4xx): one shape."""

    error = ErrorBodySerializer()


def error_body(
    code: str, message: str, fields: dict[str, list[str]] | None = None, current: dict[str, Any] | None = None
) -> dict[str, Any]:
    body: dict[str, Any] = {"code": code, "message": message, "fields": fields or {}}
    if current is not None:
        body["current"] = current
    return {"error": body}


def error_response(description: str) -> OpenApiResponse:
    """A documented 4xx answer of an operation: always the Error component."""
    return OpenApiResponse(ErrorSerializer, description=description)


# The 400 every operation documents the same way: input the handler refused, or a service's refusal.
BAD_REQUEST = error_response("Invalid input or refused; `message` and `fields` say why.")
# A paged list asked for a page past its last.
NO_SUCH_PAGE = error_response("A page number past the last page.")


# --- stale edits: the view says how the current record is shown --------------------------------------------


@contextmanager
def shows_current(render: Callable[[Any], Any]) -> Iterator[None]:
    """Around a service call: a `StaleEdit` leaving it carries the current record as this view renders it
    (`render(current_row)`, at the caller's tiers), which the handler puts in `current.record`."""
    try:
        yield
    except StaleEdit as stale:
        stale.shown = render(stale.current)
        raise


# --- messages that never echo the input --------------------------------------------------------------------

# DRF and Django messages of these codes quote the value sent; a fixed sentence replaces them.
_ECHOING = {
    "invalid_choice": gettext_noop("Not one of the allowed values."),
    "does_not_exist": gettext_noop("No such record."),
    "incorrect_type": gettext_noop("A value of the wrong type."),
    "invalid_pk_value": gettext_noop("Not a valid identifier."),
    "invalid_list": gettext_noop("Not a list of values."),
    "not_a_dict": gettext_noop("Not an object of values."),
}


def _plain(message: Any, code: str | None, params: Any = None) -> str:
    if code in _ECHOING:
        return _(_ECHOING[code])
    if params and isinstance(params, dict) and "value" in params:
        return _("This value is not valid.")
    return str(message)


def _drf_fields(detail: Any, prefix: str = "") -> dict[str, list[str]]:
    """DRF's nested error detail flattened: {"forms.0": [...], "child_views": [...]}."""
    if isinstance(detail, dict):
        flat: dict[str, list[str]] = {}
        for name, inner in detail.items():
            flat.update(_drf_fields(inner, f"{prefix}.{name}" if prefix else str(name)))
        return flat
    if isinstance(detail, list) and any(isinstance(item, (dict, list)) for item in detail):
        flat = {}
        for index, inner in enumerate(detail):
            if inner:
                flat.update(_drf_fields(inner, f"{prefix}.{index}" if prefix else str(index)))
        return flat
    items = detail if isinstance(detail, list) else [detail]
    return {prefix: [_plain(item, getattr(item, "code", None)) for item in items]}


def _django_messages(errors: list[DjangoValidationError]) -> list[str]:
    # As Django formats them (params only when given: a "%" in a plain message stays as written).
    return [_plain(e.message % e.params if e.params else e.message, e.code, e.params) for e in errors]


def _django_fields(error: DjangoValidationError) -> dict[str, list[str]]:
    if hasattr(error, "error_dict"):
        return {name: _django_messages(errors) for name, errors in error.error_dict.items()}
    return {NON_FIELD_ERRORS: _django_messages(error.error_list)}


def _invalid(fields: dict[str, list[str]]) -> Response:
    """400: messages about the whole request become the message; the rest stay by field."""
    general = fields.pop(NON_FIELD_ERRORS, []) + fields.pop("non_field_errors", []) + fields.pop("", [])
    message = " ".join(general) or _("Some fields are not valid; see each field's messages.")
    return Response(error_body("invalid", message, fields), status=status.HTTP_400_BAD_REQUEST)


# --- the handler -------------------------------------------------------------------------------------------

_DRF_CODES: dict[type[exceptions.APIException], tuple[str, str]] = {
    exceptions.ParseError: ("malformed", gettext_noop("The body could not be read.")),
    exceptions.NotAuthenticated: ("not_authenticated", gettext_noop("Authentication required.")),
    exceptions.AuthenticationFailed: ("not_authenticated", gettext_noop("Authentication required.")),
    exceptions.PermissionDenied: (
        "forbidden",
        gettext_noop("Authentication with a second factor is required."),
    ),
    exceptions.NotFound: ("not_found", gettext_noop("Not found.")),
    exceptions.MethodNotAllowed: ("method_not_allowed", gettext_noop("This method is not allowed here.")),
    exceptions.NotAcceptable: ("not_acceptable", gettext_noop("No answer in the media type asked for.")),
    exceptions.UnsupportedMediaType: (
        "unsupported_media_type",
        gettext_noop("This media type is not accepted here."),
    ),
    exceptions.Throttled: (
        "throttled",
        gettext_noop("Too many requests; try again after the time in Retry-After."),
    ),
}


# Their own texts are the project's (a token refused, the second factor) or DRF's, and quote nothing sent.
_OWN_MESSAGE = (
    exceptions.NotAuthenticated,
    exceptions.AuthenticationFailed,
    exceptions.PermissionDenied,
    exceptions.Throttled,
)


def _not_found() -> Response:
    return Response(error_body("not_found", _("Not found.")), status=status.HTTP_404_NOT_FOUND)


def _from_api_exception(exc: exceptions.APIException) -> Response:
    if isinstance(exc, exceptions.ValidationError):
        return _invalid(_drf_fields(exc.detail))
    code, message = next(
        ((code, message) for kind, (code, message) in _DRF_CODES.items() if isinstance(exc, kind)),
        (str(exc.default_code), gettext_noop("The request was refused.")),
    )
    own = isinstance(exc, _OWN_MESSAGE) and isinstance(exc.detail, str)
    message = str(exc.detail) if own else _(message)
    response = Response(error_body(code, message), status=exc.status_code)
    if getattr(exc, "auth_header", None):
        response["WWW-Authenticate"] = exc.auth_header  # type: ignore[attr-defined]
    if getattr(exc, "wait", None) is not None:
        response["Retry-After"] = str(int(exc.wait))  # type: ignore[attr-defined]
    return response


def _stale(stale: StaleEdit) -> Response:
    current = {"version": getattr(stale.current, "version", None), "record": getattr(stale, "shown", None)}
    message = _("The record was changed since that version was read; nothing was saved.")
    return Response(error_body("stale", message, current=current), status=status.HTTP_409_CONFLICT)


def handle(exc: Exception, context: dict[str, Any]) -> Response | None:
    """REST_FRAMEWORK["EXCEPTION_HANDLER"]: the one shape for every refusal; None (a server error) else."""
    if isinstance(exc, (Http404, PermissionDenied, ObjectDoesNotExist)):
        return _not_found()
    if isinstance(exc, StaleEdit):
        return _stale(exc)
    if isinstance(exc, DecisionBlocked):
        return Response(error_body("blocked", str(exc)), status=status.HTTP_409_CONFLICT)
    if isinstance(exc, ChildViewsMissing):
        return _invalid({name: [message] for name, message in exc.problems.items()})
    if isinstance(exc, DjangoValidationError):
        return _invalid(_django_fields(exc))
    if isinstance(exc, Refusal):
        return Response(error_body(exc.code, exc.api_message()), status=exc.status_code)
    if isinstance(exc, exceptions.APIException):
        return _from_api_exception(exc)
    return None


def json_error(code: str, message: str, status_code: int) -> JsonResponse:
    """The same shape from outside DRF (middlewares answering /api/ before a view runs)."""
    return JsonResponse(error_body(code, message), status=status_code)


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """handler404: the error shape under /api/ (a role the view does not admit, an unknown path), the page
    elsewhere."""
    if request.path.startswith("/api/"):
        return json_error("not_found", _("Not found."), status.HTTP_404_NOT_FOUND)
    if request.method == "POST":
        # The page's CSRF check reads the body; one that cannot be parsed must not turn the 404 into a 500.
        try:
            request.POST  # noqa: B018 - parsed here, once
        except (MultiPartParserError, SuspiciousOperation):
            request._mark_post_parse_error()  # type: ignore[attr-defined]
    return page_not_found(request, exception)  # type: ignore[arg-type]


# The database could not be reached or answered with an operational failure (a restart, a lost connection, a
# lock or serialisation failure): the request's transaction was rolled back, so it may be sent again.
_UNAVAILABLE = (OperationalError, InterfaceError)
RETRY_AFTER_SECONDS = 30


def server_error(request: HttpRequest) -> HttpResponse:
    """handler500: 503 with Retry-After when the database failed (docs/decisions/0054), 500 otherwise; the
    error shape under /api/, a page without anything of the request elsewhere. Neither says what failed: the
    log keeps the exception type and frames (palermo.core.logging), never its message."""
    unavailable = isinstance(sys.exc_info()[1], _UNAVAILABLE)
    if request.path.startswith("/api/"):
        if unavailable:
            message = _("The service is briefly unavailable and nothing was saved; try again in a moment.")
            response: HttpResponse = json_error("unavailable", message, status.HTTP_503_SERVICE_UNAVAILABLE)
        else:
            message = _("Something went wrong; a change is either complete or not made at all.")
            response = json_error("server_error", message, status.HTTP_500_INTERNAL_SERVER_ERROR)
    else:
        page = loader.get_template("503.html" if unavailable else "500.html").render()
        response = HttpResponseServerError(page, status=503 if unavailable else 500)
    if unavailable:
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response
