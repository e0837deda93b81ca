"""What the residence services share: who may do what, the status transitions, days as deadlines, and the
timeline and audit wording.

Recording an application (kind, day, authority) is case metadata (T1). A decision's reasons state the legal
basis of a decision on the person's status: identity and legal status (T2), so the migration authority that
decides records the decision itself (the matrix gives the migration officer on the team T1-T2). On a child's
case a decision also carries the child's views, which are narrative (T4): whoever decides states them as part
of the decision (art. 12 CRC), the migration officer included, without any other T4 on the case; stored and
audited at T4, read back by their author on their own decisions only (palermo.core.decisions). The
humanitarian-grounds assessment and the grounds of an appeal are narrative too (T4): prepared by those who may
write T4; others see only that they exist.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from palermo.access.duties import duty_agency
from palermo.access.policy import can_write
from palermo.access.tiers import Tier
from palermo.accounts.models import Agency, Membership, User
from palermo.accounts.roles import AgencyType, Role
from palermo.cases.models import Case, EventKind
from palermo.cases.services.timeline import Entry, entry_add, record_entry
from palermo.core import days
from palermo.core.text import TOO_LONG, checked_text
from palermo.core.transitions import Lifecycle, moves
from palermo.residence.models import Application, ApplicationKind, ApplicationStatus

DECIDERS = frozenset(
    {Role.CASE_MANAGER, Role.IDENTIFICATION_AUTHORITY, Role.MIGRATION_OFFICER, Role.GUARDIAN}
)
APPLICATION_RECORDERS = DECIDERS | {Role.FIRST_RESPONDER}
TEXT_MAX_LENGTH = 20000
AUTHORITY_MAX_LENGTH = 200
LONGEST_VALIDITY_DAYS = 36600  # a hundred years: past it, a date is a typing error

# The one transition table of an application's status.
LIFECYCLE = Lifecycle(
    noun=_("application"),
    statuses=ApplicationStatus,
    transitions=moves(
        {
            ApplicationStatus.PENDING: {
                ApplicationStatus.GRANTED,
                ApplicationStatus.REFUSED,
                ApplicationStatus.WITHDRAWN,
            },
            ApplicationStatus.REFUSED: {ApplicationStatus.APPEALED},
            ApplicationStatus.APPEALED: {
                ApplicationStatus.GRANTED,
                ApplicationStatus.REFUSED,
                ApplicationStatus.WITHDRAWN,
            },
            ApplicationStatus.GRANTED: set(),
            ApplicationStatus.WITHDRAWN: set(),
        }
    ),
)


def may_record_application(membership: Membership, case: Case) -> bool:
    return membership.role in APPLICATION_RECORDERS and can_write(membership, case, Tier.METADATA)


def may_decide(membership: Membership, case: Case) -> bool:
    """Whether this membership may record decisions on the case's applications: reasons are T2. On a child's
    case the decider also states the child's views (T4) as part of the decision, whatever else of the case's
    narrative it may read or write (palermo.core.decisions)."""
    return membership.role in DECIDERS and can_write(membership, case, Tier.IDENTITY)


def may_assess(membership: Membership, case: Case) -> bool:
    """Whether this membership may assess humanitarian grounds: the findings and notes are narrative (T4)."""
    return membership.role in DECIDERS and can_write(membership, case, Tier.NARRATIVE)


def move(application: Application, to: str) -> list[str]:
    """Change an application's status through the transition table (the version moves with it); an illegal
    move raises IllegalTransition. Returns the fields to save."""
    return LIFECYCLE.apply(application, to)


def clean_text(text: str, *, required: bool, missing: Any = "") -> str:
    missing = missing or _("This is required.")
    return checked_text(text, limit=TEXT_MAX_LENGTH, missing=missing, too_long=TOO_LONG, required=required)


def clean_authority(authority: str) -> str:
    authority = (authority or "").strip()
    if not authority:
        raise ValidationError(_("Name the authority."), code="authority")
    if len(authority) > AUTHORITY_MAX_LENGTH:
        raise ValidationError(_("At most %(limit)d characters."), params={"limit": AUTHORITY_MAX_LENGTH})
    return authority


def clean_day(
    day: datetime.date | None, case: Case, *, not_before: datetime.date | None = None
) -> datetime.date:
    """A day that has happened: not in the future, not before the referral (nor before `not_before`)."""
    day = days.clean_past_day(day, referred_on=timezone.localdate(case.opened_at))
    if not_before is not None and day < not_before:
        raise ValidationError(
            _("The day cannot be before %(day)s."), code="too_early", params={"day": date_format(not_before)}
        )
    return day


def event_kind(application: Application) -> EventKind:
    return EventKind.ASYLUM if application.kind == ApplicationKind.ASYLUM else EventKind.RESIDENCE


def _entry(
    application: Application, message: str, action: str, object_type: str, audit_tier: int | None = None
) -> Entry:
    """An entry (T1) on the application's timeline: asylum or residence, by the application's kind."""
    return Entry(message, action, Tier.METADATA, event_kind(application), object_type, audit_tier)


def timeline(
    application: Application,
    record: models.Model,
    message: str,
    *,
    actor: User,
    membership: Membership,
    object_type: str,
    values: Mapping[str, object] | None = None,
) -> None:
    """An entry alone, after a change whose own entry and audit event say the rest (a permit's validity,
    after the decision that grants it). `message` is marked with gettext_noop, `values` fill it."""
    entry = _entry(application, message, "", object_type)
    entry_add(entry, record, actor=actor, membership=membership, case=application.case, values=values)


def changed(
    application: Application,
    record: models.Model,
    message: str,
    action: str,
    tier: int,
    *,
    actor: User,
    membership: Membership,
    object_type: str,
    values: Mapping[str, Any] | None = None,
) -> None:
    """A change to an application (or its decision, appeal, assessment): the timeline entry (T1) and the
    audit event at the tier of what was written, through the one case-change write."""
    entry = _entry(application, message, action, object_type, tier)
    record_entry(entry, record, actor=actor, membership=membership, case=application.case, values=values)


def deciding_agency(case: Case) -> Agency:
    """The agency whose decision an application or an appeal on this case awaits: the case team's border or
    migration authority, else the lead agency, which answers for what no one else on the team does (and
    follows up an application lodged with an authority outside the platform)."""
    return duty_agency(case, AgencyType.MIGRATION)
