"""What the administration's pages and API share (docs/decisions/0032): finding a person within an agency the
acting administrator administers, and the account changes both doors offer, by name."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import Http404

from palermo.accounts import selectors
from palermo.accounts.models import Agency, Membership, User
from palermo.accounts.services import administration as services


def person_in_agency(actor: Membership, agency_id: int, user_id: int) -> tuple[Agency, User]:
    """The agency (administered by `actor`) and a person with a membership there, active or ended; 404
    for anything else, as for a case outside one's access."""
    agency = selectors.agency_administered(actor, agency_id)
    user = selectors.account_administered(actor, user_id)
    if not user.memberships.filter(agency=agency).exists():
        raise Http404
    return agency, user


def _end_role(actor: Membership, user: User, kwargs: dict[str, Any]) -> object:
    found = selectors.membership_administered(actor, int(kwargs["membership_id"]))
    if found.user_id != user.pk:
        raise Http404  # another person's role: missing
    return services.role_end(actor=actor, membership=found)


def _open_reset(user: User) -> Any:
    reset = selectors.open_reset_of(user)
    if reset is None:
        raise Http404  # nothing waiting: missing
    return reset


ACCOUNT_CHANGES: dict[str, Callable[[Membership, User, dict[str, Any]], object]] = {
    "deactivate": lambda actor, user, _kwargs: services.user_deactivate(actor=actor, user=user),
    "reactivate": lambda actor, user, _kwargs: services.user_reactivate(actor=actor, user=user),
    "end-role": _end_role,
    "reset-second-factor": lambda actor, user, _kwargs: services.second_factor_reset_request(
        actor=actor, user=user
    ),
    "confirm-reset": lambda actor, user, _kwargs: services.second_factor_reset_confirm(
        actor=actor, reset=_open_reset(user)
    ),
    "cancel-reset": lambda actor, user, _kwargs: services.second_factor_reset_cancel(
        actor=actor, reset=_open_reset(user)
    ),
}
