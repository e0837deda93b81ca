from __future__ import annotations

from django.http import HttpRequest
from django.utils.translation import get_language

from palermo.access.navigation import current_entry, navigation_for, navigation_links
from palermo.accounts.active import active_membership


def active_membership_context(request: HttpRequest) -> dict[str, object]:
    if not getattr(request, "user", None) or not request.user.is_authenticated:
        return {}
    membership = active_membership(request)
    role = membership.role if membership else None
    return {
        "active_membership": membership,
        "all_memberships": request.user.active_memberships(),  # type: ignore[union-attr]
        "navigation": navigation_for(role),
        "navigation_links": navigation_links(role, get_language(), current_entry(role, request.path)),
    }
