"""What every identification API view shares: the acting membership and the refusals it documents."""

from __future__ import annotations

from django.http import Http404
from rest_framework.request import Request

from palermo.accounts.active import active_membership
from palermo.accounts.models import Membership, User
from palermo.core import api_errors

NOT_FOUND = api_errors.error_response(
    "No such case or record, not visible to the caller, or not allowed (the same answer)."
)
BAD_REQUEST = api_errors.error_response("Invalid input or refused; `message` and `fields` say why.")
CONFLICT = api_errors.error_response("Stale expected_version: `current` holds the record as it is now.")
MAX_ID = 2**31 - 1


def api_acting(request: Request) -> tuple[User, Membership]:
    membership = active_membership(request._request)
    if membership is None:
        raise Http404
    return request.user, membership  # type: ignore[return-value]
