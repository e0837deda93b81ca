from __future__ import annotations

from django.http import HttpRequest

from palermo.accounts.active import active_membership
from palermo.core.navigation import navigation_for


def active_membership_context(request: HttpRequest) -> dict[str, object]:
    if not getattr(request, "user", None) or not request.user.is_authenticated:
        return {}
    membership = active_membership(request)
    return {
        "active_membership": membership,
        "all_memberships": request.user.active_memberships(),  # type: ignore[union-attr]
        "navigation": navigation_for(membership.role if membership else None),
    }
