"""What the justice services share: who may do what (the role's `justice` duty in the access matrix, then the
tier of what is written), days as deadlines, and the timeline's entries."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from palermo.access.matrix import JusticePart, justice_reads, justice_writes
from palermo.access.policy import can_read, can_write
from palermo.access.tiers import Tier
from palermo.accounts.models import Membership
from palermo.cases.models import Case, EventKind
from palermo.cases.services.timeline import Entry, record_entry
from palermo.core import days
from palermo.core.concurrency import bump_version
from palermo.core.text import TOO_LONG, checked_text

RISK_REVIEW_KIND = "justice.risk_review"
HEARING_KIND = "justice.hearing"
MEASURES_REQUEST_KIND = "justice.hearing_measures"
TEXT_MAX_LENGTH = 20000
NAME_MAX_LENGTH = 200


def may_read_part(membership: Membership | None, case: Case, part: JusticePart) -> bool:
    """The role's duty opens this part of the area, and the case exists for the membership (T1)."""
    return (
        membership is not None
        and part in justice_reads(membership.role)
        and can_read(membership, case, Tier.METADATA)
    )


def may_write_part(membership: Membership, case: Case, part: JusticePart, tier: int = Tier.METADATA) -> bool:
    """The role's duty lets it write this part, and its tiers on the case let it write `tier`."""
    return part in justice_writes(membership.role) and can_write(membership, case, tier)


def clean_text(text: str, *, required: bool = False, limit: int = TEXT_MAX_LENGTH, missing: Any = "") -> str:
    missing = missing or _("This is required.")
    return checked_text(text, limit=limit, missing=missing, too_long=TOO_LONG, required=required)


def clean_choice(value: str, choices: Any, message: Any) -> str:
    if value not in choices.values:
        raise ValidationError(message, code="choice")
    return value


def clean_past_day(day: datetime.date | None, case: Case) -> datetime.date:
    """A day that has happened: not in the future, not before the referral."""
    return days.clean_past_day(day, referred_on=timezone.localdate(case.opened_at))


def save_change(
    locked: Any, entry: Entry, fields: Sequence[str], *, actor: Any, membership: Membership, **more: Any
) -> None:
    """Save the changed `fields` of a record locked for edit, at its next version, and put the change on the
    case's record (its timeline entry and audit event; `more`: the entry's case or audit tier)."""
    bump_version(locked)
    locked.save(update_fields=[*fields, "version"])
    record_entry(entry, locked, actor=actor, membership=membership, **more)


def proceedings_entry(summary: str, action: str, **more: Any) -> Entry:
    """What a change to proceedings, choices, compensation or non-punishment puts on the timeline: a T1 entry
    of the proceedings kind (`more`: the audit event's own tier or type)."""
    return Entry(summary, action, Tier.METADATA, EventKind.PROCEEDINGS, **more)


def risk_entry(summary: str, action: str) -> Entry:
    """What a change to the risk assessment or the protection plan puts on the timeline: a T1 entry."""
    return Entry(summary, action, Tier.METADATA, EventKind.RISK)
