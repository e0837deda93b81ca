"""The reflection and recovery period: opened on a positive presumed victim decision (by the system) or on
request before one; extended or ended early with reasons.

The length is the active rulebook's `reflection.length` (in calendar days or calendar months: three months
from 30 November end on 28 or 29 February, see palermo.core.periods), which the rulebook keeps at least its
`reflection.minimum`. The end date is computed once, on opening, and kept on the period with its length in
days and the rulebook's name, so a change of law does not rewrite a granted period. Extensions (in days)
exist unless the rulebook says `reflection.extension = "no"`. Opening generates the entitlements
(palermo.reflection.services.entitlements) and the deadline of the period's end, and moves a case still in
identification to the reflection phase through the lifecycle service, applied by the opener (the requesting
user, or the decider of the decision): when the lifecycle refuses them, the phase stays as it is.
"""

from __future__ import annotations

import datetime
import logging
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from palermo.access.policy import require
from palermo.access.tiers import Tier
from palermo.accounts.models import Agency, Membership, User
from palermo.audit.services import audit_record
from palermo.cases.models import Case, EventKind
from palermo.cases.services.timeline import Entry, record_entry
from palermo.core.concurrency import bump_version, lock_for_edit
from palermo.core.days import today
from palermo.core.periods import add_days
from palermo.core.rulebooks import rulebook
from palermo.core.stamps import stamped
from palermo.deadlines.services import complete_deadlines, set_deadline_on
from palermo.identification.events import PresumedVictimDecided
from palermo.identification.models import DecisionKind, IdentificationDecision
from palermo.reflection.models import OpenedBy, ReflectionExtension, ReflectionPeriod
from palermo.reflection.services.common import (
    END_KIND,
    REASON_TIER,
    clean_reason,
    may_change_period,
    may_open_period,
)
from palermo.reflection.services.entitlements import entitlements_open
from palermo.reflection.services.followups import end_prompt_answered
from palermo.reflection.services.phase import decider_of, enter_reflection_phase

logger = logging.getLogger(__name__)

MAX_EXTENSION_DAYS = 3650
# The timeline entry (T1: the new end date) and the audit event (at the tier of what was written: the reasons
# of an extension or an early end).
OPENED = Entry(
    gettext_noop("Reflection and recovery period opened, until %(end)s"),
    "reflection.open",
    Tier.METADATA,
    EventKind.REFLECTION,
    "reflection_period",
)
EXTENDED = OPENED._replace(
    summary=gettext_noop("Reflection and recovery period extended, until %(end)s"),
    action="reflection.extend",
    audit_tier=REASON_TIER,
)
ENDED_EARLY = EXTENDED._replace(
    summary=gettext_noop("Reflection and recovery period ended early, on %(end)s"),
    action="reflection.end_early",
)
DECISION_LINKED = OPENED._replace(
    summary=gettext_noop("Presumed victim decision recorded for the running reflection period"),
    action="reflection.decision_linked",
)


def granted_span(starts_on: datetime.date) -> dict[str, Any]:
    """The span the active rulebook grants a period starting on `starts_on`, as the period's fields: its start
    and end, its length and minimum in days, and the rulebook that granted it.

    The rulebook states both in days or in calendar months; the day counts depend on the start (three months
    from 1 January are 90 days, from 1 March 92). Its schema keeps the length at least the minimum."""
    rules = rulebook().reflection
    end = max(rules.length.end(starts_on), rules.minimum.end(starts_on))
    return {
        "starts_on": starts_on,
        "ends_on": end,
        "length_days": (end - starts_on).days,
        "minimum_days": rules.minimum.days_from(starts_on),
        "rulebook": settings.PALERMO_RULEBOOK,
    }


def is_running(period: ReflectionPeriod, on: datetime.date | None = None) -> bool:
    on = on or today()
    return period.starts_on <= on <= period.ends_on


def _changed(
    period: ReflectionPeriod, entry: Entry, *, actor: User | None, membership: Membership | None
) -> None:
    values = {"end": period.ends_on}
    record_entry(entry, period, actor=actor, membership=membership, values=values)


def _set_end_deadline(period: ReflectionPeriod) -> None:
    """Due on the last protected day; done at once when what it prompts was already decided (an extension
    after the identified victim decision does not bring the prompt back)."""
    set_deadline_on(period.ends_on, case=period.case, kind=END_KIND, source=period, agency=period.agency)
    if end_prompt_answered(period.case_id):
        complete_deadlines(period, END_KIND)


def _open(
    *,
    case: Case,
    starts_on: datetime.date,
    opened_by: OpenedBy,
    agency: Agency,
    decision: IdentificationDecision | None = None,
    requested_by: User | None = None,
) -> ReflectionPeriod:
    period = ReflectionPeriod.objects.create(
        case=case,
        opened_by=opened_by,
        decision=decision,
        **granted_span(starts_on),
        requested_by=requested_by,
        agency=agency,
        opened_at=timezone.now(),
    )
    entitlements_open(period)
    _set_end_deadline(period)
    return period


def _lock_case(case_id: int) -> None:
    """One opening at a time per case: the second waits, then finds the first one's period."""
    Case.objects.select_for_update().filter(pk=case_id).exists()


@transaction.atomic
def period_request(*, actor: User, membership: Membership, case: Case) -> ReflectionPeriod:
    """Open the period before any decision, on the request of someone on the case team."""
    require(may_open_period(membership, case), "this membership may not open a reflection period here")
    _lock_case(case.pk)
    if ReflectionPeriod.objects.filter(case=case).exists():
        raise ValidationError(_("This case already has a reflection and recovery period."), code="exists")
    period = _open(
        case=case,
        starts_on=today(),
        opened_by=OpenedBy.REQUEST,
        agency=membership.agency,
        requested_by=actor,
    )
    _changed(period, OPENED, actor=actor, membership=membership)
    enter_reflection_phase(case.pk, actor=actor, membership=membership)
    return period


@transaction.atomic
def period_open_on_decision(*, decision_id: int) -> ReflectionPeriod | None:
    """The system opens the period from a positive presumed victim decision, from the decision's day, for the
    decider's agency. Idempotent: a case that has a period keeps it (one opened on request is linked to the
    decision). Returns None when the decision is not a positive presumed victim decision."""
    decision = IdentificationDecision.objects.select_related("case", "agency", "decided_by").get(
        pk=decision_id
    )
    if decision.kind != DecisionKind.PRESUMED or not decision.positive:
        return None
    _lock_case(decision.case_id)
    existing = ReflectionPeriod.objects.filter(case_id=decision.case_id).select_related("case").first()
    if existing is not None:
        if existing.decision_id is None:
            existing.decision = decision
            existing.save(update_fields=["decision"])
            _changed(existing, DECISION_LINKED, actor=None, membership=None)
        return existing
    period = _open(
        case=decision.case,
        starts_on=timezone.localdate(decision.decided_at),
        opened_by=OpenedBy.DECISION,
        agency=decision.agency,
        decision=decision,
    )
    _changed(period, OPENED, actor=None, membership=None)
    decider, membership = decider_of(decision)
    enter_reflection_phase(decision.case_id, actor=decider, membership=membership)
    return period


def open_on_presumed_victim(event: PresumedVictimDecided) -> None:
    """The identification hook (registered in ReflectionConfig.ready()): runs after the decision commits. A
    failure is logged and recorded in the audit log, never raised: the decision stands either way, and the
    period can still be opened on request."""
    try:
        period_open_on_decision(decision_id=event.decision_id)
    except Exception:
        logger.exception("reflection period not opened after decision %s", event.decision_id)
        with transaction.atomic():
            audit_record(
                actor=None,
                action="reflection.open_failed",
                tier=Tier.METADATA,
                case=Case.objects.filter(pk=event.case_id).first(),
                object_type="identification_decision",
                object_id=str(event.decision_id),
            )


@transaction.atomic
def period_extend(
    *,
    actor: User,
    membership: Membership,
    period: ReflectionPeriod,
    days: int,
    reason: str,
    expected_version: int,
) -> ReflectionPeriod:
    """Add days to a running period, where the rulebook allows it. Raises StaleEdit on a stale version."""
    require(may_change_period(membership, period.case), "this membership may not extend this period")
    if not rulebook().reflection.extendable:
        raise ValidationError(
            _("The rulebook in force does not allow a reflection period to be extended."),
            code="not_extendable",
        )
    if not 1 <= days <= MAX_EXTENSION_DAYS:
        raise ValidationError(
            _("Extend by 1 to %(limit)d days."), code="days", params={"limit": MAX_EXTENSION_DAYS}
        )
    reason = clean_reason(reason)
    locked = lock_for_edit(ReflectionPeriod, pk=period.pk, expected_version=expected_version)
    if locked.ended_early or not is_running(locked):
        raise ValidationError(_("Only a running period can be extended."), code="not_running")
    previous = locked.ends_on
    locked.ends_on = add_days(previous, days)
    bump_version(locked)
    locked.save(update_fields=["ends_on", "version"])
    ReflectionExtension(
        period=locked,
        days=days,
        previous_end=previous,
        new_end=locked.ends_on,
        reason=reason,
        **stamped(actor, membership, by="extended_by", at="extended_at"),
    ).save()
    _set_end_deadline(locked)
    _changed(locked, EXTENDED, actor=actor, membership=membership)
    return locked


@transaction.atomic
def period_end_early(
    *,
    actor: User,
    membership: Membership,
    period: ReflectionPeriod,
    reason: str,
    expected_version: int,
    on: datetime.date | None = None,
) -> ReflectionPeriod:
    """End a running period before its end, from today or a later day within it; never in the past, since
    look-ups may already have answered with the earlier end."""
    require(may_change_period(membership, period.case), "this membership may not end this period")
    reason = clean_reason(reason)
    on = on or today()
    locked = lock_for_edit(ReflectionPeriod, pk=period.pk, expected_version=expected_version)
    if locked.ended_early or not is_running(locked):
        raise ValidationError(_("Only a running period can be ended early."), code="not_running")
    if not today() <= on <= locked.ends_on:
        raise ValidationError(
            _("The last day is between today and the period's end (%(end)s)."),
            code="day",
            params={"end": date_format(locked.ends_on)},
        )
    locked.ends_on = locked.ended_early_on = on
    locked.early_end_reason, locked.ended_early_by = reason, actor
    bump_version(locked)
    locked.save(update_fields=["ends_on", "ended_early_on", "early_end_reason", "ended_early_by", "version"])
    complete_deadlines(locked, END_KIND)
    _changed(locked, ENDED_EARLY, actor=actor, membership=membership)
    return locked
