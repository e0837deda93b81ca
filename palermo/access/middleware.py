from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.deprecation import MiddlewareMixin

from palermo.access.declare import PUBLIC, SIGNED_IN, declared_roles, is_client_token_request
from palermo.accounts.active import acting, active_membership


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
