"""What a new record of a case area is created with: who recorded it, for which agency, and when."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.utils import timezone

if TYPE_CHECKING:
    from palermo.accounts.models import Membership


def signed(actor: Any, membership: Membership, *, by: str = "recorded_by") -> dict[str, Any]:
    """The fields naming who recorded a new record and the agency they acted for (`by` names the model's own
    field): `stamped` without the time, for a record whose time is set by the database or not kept."""
    return {by: actor, "agency_id": membership.agency_id}


def stamped(
    actor: Any, membership: Membership, *, by: str = "recorded_by", at: str = "recorded_at"
) -> dict[str, Any]:
    """The fields naming who recorded a new record, the agency they acted for, and when (`by` and `at` name
    the model's own fields)."""
    return {by: actor, "agency": membership.agency, at: timezone.now()}
