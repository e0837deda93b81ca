from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.deprecation import MiddlewareMixin

from palermo.access import policy
from palermo.access.closure import CLOSED_MESSAGE, CLOSED_PHASE, CaseClosed, declared_on_closed_case
from palermo.access.declare import PUBLIC, SIGNED_IN, declared_roles, is_client_token_request
from palermo.access.models import case_model
from palermo.accounts.active import acting, active_membership
from palermo.core.api_errors import json_error


class RoleRequiredMiddleware(MiddlewareMixin):
    """Refuses (404) a view that declared no roles, or whose roles exclude the active membership's role; for
    a view it lets through by role, puts who is acting on the request (`request.acting`)."""

    def process_view(
        self, request: HttpRequest, view_func: Callable[..., Any], args: Any, kwargs: Any
    ) -> HttpResponse | None:
        roles = declared_roles(view_func)
        if roles == PUBLIC:
            return None
        if roles is not None and is_client_token_request(request, view_func):
            return None  # the view authenticates the client system itself; a session never gets here
        if roles is None or not request.user.is_authenticated:
            raise Http404
        if roles == SIGNED_IN:
            return None
        membership = active_membership(request)
        if membership is None and _must_choose(request):
            # Several memberships and none chosen yet: the choice is explicit, never guessed.
            return redirect(f"{reverse('accounts:choose_membership')}?{urlencode({'next': request.path})}")
        if membership is None or membership.role not in roles:  # type: ignore[operator]
            raise Http404
        acting(request)  # sets `request.acting` for the view (palermo.accounts.active.ActingRequest)
        return None


def _must_choose(request: HttpRequest) -> bool:
    if request.path.startswith("/api/"):
        return False
    return len(request.user.active_memberships()) > 1  # type: ignore[union-attr]


UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})


class ClosedCaseMiddleware:
    """Every door's write to a closed case, refused before the view runs (palermo.access.closure): a page or
    API request that would change a case (an unsafe method on a URL naming a case `reference`) whose case is
    closed and visible to the acting membership answers 409 `closed` with the reason, unless the view declares
    it one of the writes a closed case still takes (`on_closed_case`). A case the membership may not see is
    left to the view, which answers 404 as for a missing one."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view_func: Callable[..., Any], args: Any, kwargs: Any
    ) -> HttpResponse | None:
        reference = kwargs.get("reference")
        if request.method not in UNSAFE_METHODS or not isinstance(reference, str):
            return None
        known = getattr(request, "acting", None)
        if known is None or declared_on_closed_case(view_func) is not None:
            return None
        case = (
            case_model()
            .objects.filter(reference=reference, phase=CLOSED_PHASE)
            .only("pk", "phase", "lead_agency_id", "is_child")
            .first()
        )
        if case is None or not policy.can_see_case(known.membership, case):
            return None
        return closed_answer(request, case)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        """A service's CaseClosed from a page reached without the case's reference in its URL (a provider's
        referral inbox): the same refusal. The API's are answered by its error handler."""
        if isinstance(exception, CaseClosed):
            return closed_answer(request, None)
        return None


def closed_answer(request: HttpRequest, case: Any | None) -> HttpResponse:
    """The refusal: the API's error shape, or a page saying the case is closed and how to re-open it (for
    HTMX, in place of the page's main area, as the conflict screen does)."""
    if request.path.startswith("/api/"):
        return json_error(CaseClosed.code, str(CLOSED_MESSAGE), CaseClosed.status_code)
    context = {"case": case, "message": CLOSED_MESSAGE}
    if request.headers.get("HX-Request") != "true":
        return render(request, "access/case_closed.html", context, status=CaseClosed.status_code)
    response = render(request, "access/case_closed.html", context)
    response["HX-Retarget"] = "#main"
    response["HX-Reselect"] = "#main"
    response["HX-Reswap"] = "outerHTML"
    return response
