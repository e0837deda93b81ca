"""The active membership: which agency and role a user is acting through right now. Always explicit."""

from __future__ import annotations

from django.http import HttpRequest

from palermo.accounts.models import Membership

SESSION_KEY = "palermo_active_membership"


def active_membership(request: HttpRequest) -> Membership | None:
    cached = getattr(request, "_palermo_membership", False)
    if cached is not False:
        return cached  # type: ignore[return-value]
    membership = None
    user = request.user
    if user.is_authenticated:
        memberships = user.active_memberships()  # type: ignore[union-attr]
        chosen = request.session.get(SESSION_KEY)
        membership = next((m for m in memberships if m.pk == chosen), None)
        if membership is None and len(memberships) == 1:
            # One membership is not a choice to make; it is still stored so the choice is explicit.
            membership = memberships[0]
            request.session[SESSION_KEY] = membership.pk
    request._palermo_membership = membership  # type: ignore[attr-defined]
    return membership


def set_active_membership(request: HttpRequest, membership_id: int) -> Membership | None:
    memberships = request.user.active_memberships()  # type: ignore[union-attr]
    membership = next((m for m in memberships if m.pk == membership_id), None)
    if membership is not None:
        request.session[SESSION_KEY] = membership.pk
        request._palermo_membership = membership  # type: ignore[attr-defined]
    return membership
