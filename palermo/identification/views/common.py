"""What every identification view needs: who is acting, and refusals that look like "not found"."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest

from palermo.accounts.active import active_membership
from palermo.accounts.models import Membership, User


def acting(request: HttpRequest) -> tuple[User, Membership]:
    """The user and the membership they act through (the role middleware guarantees one)."""
    membership = active_membership(request)
    if membership is None:  # unreachable behind RoleRequiredMiddleware; refuse rather than assume
        raise Http404
    return request.user, membership  # type: ignore[return-value]


@contextmanager
def refused_as_not_found() -> Iterator[None]:
    """A service's PermissionDenied becomes 404: forbidden and missing look the same."""
    try:
        yield
    except PermissionDenied:
        raise Http404 from None
