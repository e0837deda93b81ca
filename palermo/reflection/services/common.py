"""What the reflection services share: who may do what, days as deadlines, and the timeline's wording."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from palermo.access.policy import can_write
from palermo.access.tiers import Tier
from palermo.accounts.models import Membership
from palermo.accounts.roles import Role
from palermo.cases.models import Case
from palermo.core.text import TOO_LONG, checked_text

# Open a period on request, extend it, end it early: the team's first responder, case manager,
# identification authority and migration officer (the authority that grants reflection periods). The reasons
# of an extension or an early end are the authority's legal reasons, T2, which all four write on their cases.
PERIOD_MANAGERS = frozenset(
    {Role.FIRST_RESPONDER, Role.CASE_MANAGER, Role.IDENTIFICATION_AUTHORITY, Role.MIGRATION_OFFICER}
)
# Record that an entitlement was provided, declined or not needed (a T1 status; a note is T4): those who
# arrange the assistance, the guardian of a child and the service provider who delivered it. Not the
# migration officer: entitlements are assistance, not status.
ENTITLEMENT_RECORDERS = frozenset(
    {
        Role.FIRST_RESPONDER,
        Role.CASE_MANAGER,
        Role.IDENTIFICATION_AUTHORITY,
        Role.GUARDIAN,
        Role.SERVICE_PROVIDER,
    }
)
# The tier of the reasons given for extending or ending a period early.
REASON_TIER = Tier.IDENTITY
REASON_MAX_LENGTH = 5000
# The deadline of the period's last day (palermo.reflection.services.followups says what completes it).
END_KIND = "reflection.end"


def may_open_period(membership: Membership, case: Case) -> bool:
    return membership.role in PERIOD_MANAGERS and can_write(membership, case, Tier.METADATA)


def may_change_period(membership: Membership, case: Case) -> bool:
    return membership.role in PERIOD_MANAGERS and can_write(membership, case, REASON_TIER)


def may_record_entitlements(membership: Membership, case: Case) -> bool:
    return membership.role in ENTITLEMENT_RECORDERS and can_write(membership, case, Tier.METADATA)


def clean_reason(reason: str, *, required: bool = True) -> str:
    return checked_text(
        reason, limit=REASON_MAX_LENGTH, missing=_("Give the reason."), too_long=TOO_LONG, required=required
    )
