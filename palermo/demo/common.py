"""What the areas' demo loaders share: a demo user's membership, and the phases past identification."""

from __future__ import annotations

from typing import Any

from palermo.accounts.models import Membership
from palermo.accounts.roles import Role
from palermo.cases.models import Phase

# The phases a case reaches once the identification authority decided (the demo's decided cases).
PAST_IDENTIFICATION = (Phase.REFLECTION, Phase.ASSISTANCE, Phase.LONG_TERM)


def demo_member(username: str, role: Role) -> Membership | None:
    """The demo user's active membership in that role, with its user and agency (None before the accounts)."""
    return (
        Membership.objects.filter(user__username=username, role=role, is_active=True)
        .select_related("user", "agency")
        .first()
    )


def done_by(membership: Membership) -> dict[str, Any]:
    """The actor and membership a service is called with, for the demo user of that membership."""
    return {"actor": membership.user, "membership": membership}
