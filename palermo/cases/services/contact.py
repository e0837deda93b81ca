"""How to reach the person safely (Case.contact_channel): contact data, T2, changed with a version check.

A route from a short list (through the supporting NGO, only through the case worker, phone, email, in person,
do not contact), so that whoever picks up the case next does not call a number the exploiter may answer.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from palermo.access.policy import can_write
from palermo.access.tiers import Tier
from palermo.accounts.models import Membership, User
from palermo.cases.models import Case, ContactRoute, EventKind
from palermo.cases.services.timeline import Entry, record_entry
from palermo.core.concurrency import bump_version, lock_for_edit

CONTACT_ROUTE_CHANGED = Entry(
    gettext_noop("How to reach the person safely changed"),
    "case.contact_channel_set",
    Tier.IDENTITY,
    EventKind.PERSON,
)


def case_contact_channel_set(
    *, actor: User, membership: Membership, case: Case, channel: str, expected_version: int
) -> Case:
    """Record how the person may be reached ("" when not agreed). PermissionDenied without T2 write access,
    ValidationError for a route not on the list, StaleEdit when the case changed since it was read."""
    if channel and channel not in ContactRoute.values:
        raise ValidationError({"contact_channel": _("Choose a way from the list.")}, code="invalid_choice")
    if not can_write(membership, case, Tier.IDENTITY):
        raise PermissionDenied("contact details are written at T2")
    with transaction.atomic():
        locked = lock_for_edit(Case, pk=case.pk, expected_version=expected_version)
        if locked.contact_channel == channel:
            return locked
        locked.contact_channel = channel
        bump_version(locked)
        locked.save(update_fields=["contact_channel", "version"])
        record_entry(
            CONTACT_ROUTE_CHANGED, locked, actor=actor, membership=membership, reason=channel or "not agreed"
        )
    return locked
