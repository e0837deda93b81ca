from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib.auth.middleware import LoginRequiredMiddleware as _DjangoLoginRequired
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.deprecation import MiddlewareMixin

from palermo.access.declare import PUBLIC, declared_roles, is_client_token_request, is_two_factor_exempt
from palermo.core.api_errors import json_error


class TwoFactorRequiredMiddleware(MiddlewareMixin):
    """A signed-in user whose roles see personal data must pass a second factor before anything else."""

    def process_view(
        self, request: HttpRequest, view_func: Callable[..., Any], args: Any, kwargs: Any
    ) -> HttpResponse | None:
        user = request.user
        if not user.is_authenticated or is_two_factor_exempt(view_func):
            return None
        if user.is_verified() or not user.needs_two_factor:  # type: ignore[union-attr]
            return None
        if request.path.startswith("/api/"):
            return json_error("forbidden", "Authentication with a second factor is required.", 403)
        return redirect("accounts:two_factor")


class LoginRequiredMiddleware(_DjangoLoginRequired):
    """Django's deny-by-default login middleware; the API answers 401 instead of redirecting."""

    def process_view(
        self, request: HttpRequest, view_func: Callable[..., Any], view_args: Any, view_kwargs: Any
    ) -> HttpResponse | None:
        # Only `public` opens a view to anonymous users. Django's own opt-out flag is not trusted alone:
        # DRF sets it on every API view, which would let anonymous requests through to a role check.
        if request.user.is_authenticated or declared_roles(view_func) == PUBLIC:
            return None
        if is_client_token_request(request, view_func):
            return None
        return self.handle_no_permission(request, view_func)

    def handle_no_permission(self, request: HttpRequest, view_func: Callable[..., Any]) -> Any:
        if request.path.startswith("/api/"):
            return json_error("not_authenticated", "Authentication required.", 401)
        return super().handle_no_permission(request, view_func)
