from __future__ import annotations

from typing import TYPE_CHECKING

from rest_framework.permissions import BasePermission

if TYPE_CHECKING:
    from rest_framework.request import Request
    from rest_framework.views import APIView


class VerifiedUser(BasePermission):
    """API default: signed in, and past the second factor where the user's roles require one."""

    message = "Authentication with a second factor is required."

    def has_permission(self, request: Request, view: APIView) -> bool:
        user = request.user
        if not user or not user.is_authenticated:
            return False
        return bool(user.is_verified() or not user.needs_two_factor)  # type: ignore[union-attr]
