"""The active membership: which agency and role a user is acting through right now. Always explicit."""

from __future__ import annotations

from typing import TYPE_CHECKING, NamedTuple

from django.http import Http404, HttpRequest

from palermo.accounts.models import Membership, User

if TYPE_CHECKING:
    from rest_framework.request import Request

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
        request.__dict__.pop("acting", None)  # the next `acting(request)` speaks for the new choice
    return membership


class Acting(NamedTuple):
    """Who is acting: the signed-in user and the membership (agency and role) they act through. Immutable;
    unpacks as `user, membership = acting(request)`."""

    user: User
    membership: Membership


class ActingRequest(HttpRequest):
    """A request behind the role middleware, for views that read `request.acting` (typing only)."""

    user: User
    acting: Acting


def acting(request: HttpRequest | Request) -> Acting:
    """The acting user and membership, computed once per request and kept as `request.acting`. Takes a page's
    request or the API's (which wraps one). The role middleware guarantees a membership to every view that
    declares roles; without one this refuses (404) rather than assume."""
    http_request: HttpRequest = getattr(request, "_request", request)
    known = getattr(http_request, "acting", None)
    if isinstance(known, Acting):
        return known
    membership = active_membership(http_request)
    if membership is None:
        raise Http404
    http_request.acting = Acting(http_request.user, membership)  # type: ignore[arg-type, attr-defined]
    return http_request.acting  # type: ignore[attr-defined]
