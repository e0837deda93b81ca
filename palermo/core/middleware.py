from __future__ import annotations

import contextvars
import io
import uuid
from collections.abc import Callable

from django.conf import settings
from django.core.exceptions import SuspiciousOperation
from django.http import HttpRequest, HttpResponse
from django.http.multipartparser import MultiPartParser, MultiPartParserError
from django.middleware.locale import LocaleMiddleware
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import trans_real
from django.views.defaults import bad_request

from palermo.core.api_errors import json_error
from palermo.core.rulebooks import rulebook

_request_id: contextvars.ContextVar[str] = contextvars.ContextVar("palermo_request_id", default="")


def current_request_id() -> str:
    """The id of the request being served, or '' outside a request (commands, tasks)."""
    return _request_id.get()


class RequestIdMiddleware:
    """Gives each request an id that audit events and logs carry; it is returned as X-Request-ID."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request_id = uuid.uuid4().hex
        token = _request_id.set(request_id)
        request.request_id = request_id  # type: ignore[attr-defined]
        try:
            response = self.get_response(request)
        finally:
            _request_id.reset(token)
        response["X-Request-ID"] = request_id
        return response


def _carries_nul(request: HttpRequest) -> bool:
    # The path is already percent-decoded; the query string is raw, so both spellings are looked for.
    query = request.META.get("QUERY_STRING", "")
    return "\x00" in request.path or "\x00" in query or "%00" in query


def _unreadable_multipart(request: HttpRequest) -> bool:
    """A multipart form whose Content-Type Django's parser refuses before reading a byte (no boundary, an
    empty or invalid one, non-ASCII): the same checks, run here on an empty body."""
    if request.method != "POST" or request.content_type != "multipart/form-data":
        return False
    try:
        MultiPartParser(request.META, io.BytesIO(), [], request.encoding)
    except MultiPartParserError:
        return True
    return False


class RefuseNulMiddleware:
    """Answers 400 to a request whose path or query string holds a NUL byte, or whose multipart body cannot
    be parsed at all.

    No form, URL or name holds a NUL byte, and PostgreSQL refuses it in any text value with a server error;
    refused here, before any view, it cannot reach a query. A multipart form without a valid boundary raised
    a server error wherever the body was first read outside a view (the CSRF check of the 404 page answering
    a route the role may not use); refused here, whatever the route and the role. The API's error shape under
    /api/, the 400 page elsewhere.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if _carries_nul(request):
            problem = "NUL byte in the request"
        elif _unreadable_multipart(request):
            problem = "unreadable multipart body"
            request._mark_post_parse_error()  # type: ignore[attr-defined]  # the 400 page must not parse it
        else:
            return self.get_response(request)
        if request.path.startswith("/api/"):
            return json_error("malformed", _("The request could not be read."), 400)
        return bad_request(request, SuspiciousOperation(problem))


def _browser_language(request: HttpRequest) -> str | None:
    """The first language of the browser's Accept-Language that the site offers, or None."""
    for accepted, _quality in trans_real.parse_accept_lang_header(
        request.META.get("HTTP_ACCEPT_LANGUAGE", "")
    ):
        if accepted == "*":
            break
        try:
            return translation.get_supported_language_variant(accepted)
        except LookupError:
            continue
    return None


class StaffLanguageMiddleware(LocaleMiddleware):
    """Django's LocaleMiddleware, except that the language a page opens in when neither the language cookie
    nor the browser names one the site offers is the active rulebook's `languages.staff_first` (not the
    settings' LANGUAGE_CODE): a country's rulebook decides which language its staff see first."""

    def process_request(self, request: HttpRequest) -> None:
        super().process_request(request)
        if request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME) or _browser_language(request):
            return
        first = rulebook().languages.staff_first
        if first in dict(settings.LANGUAGES) and first != translation.get_language():
            translation.activate(first)
            request.LANGUAGE_CODE = first  # type: ignore[attr-defined]
