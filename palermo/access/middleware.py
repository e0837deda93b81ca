from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse

from palermo.access.declare import PUBLIC, SIGNED_IN, declared_roles
from palermo.accounts.active import active_membership


class RoleRequiredMiddleware:
    """Refuses (404) a view that declared no roles, or whose roles exclude the active membership's role."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view_func: Callable[..., Any], args: Any, kwargs: Any
    ) -> HttpResponse | None:
        roles = declared_roles(view_func)
        if roles == PUBLIC:
            return None
        if roles is None or not request.user.is_authenticated:
            raise Http404
        if roles == SIGNED_IN:
            return None
        membership = active_membership(request)
        if membership is None or membership.role not in roles:  # type: ignore[operator]
            raise Http404
        return None
