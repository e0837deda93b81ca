"""Moving a case through its phases, closing and re-opening it (who may: the guards of the table in
palermo.cases.lifecycle), and its forms of exploitation (T1): anyone who may write T1 on the case may correct
them."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, cast

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from palermo.access.closure import require_open
from palermo.access.policy import can_write
from palermo.access.tiers import Tier
from palermo.accounts.models import Membership, User
from palermo.audit.services import audit_on_case
from palermo.cases.exploitation import check_new_forms
from palermo.cases.lifecycle import LIFECYCLE, CaseTransition, Transition, closure_reason_required
from palermo.cases.models import Case, CaseExploitation, EventKind, Phase
from palermo.cases.reference import CaseStatus, ClosureReason
from palermo.cases.services.timeline import Entry, record_entry
from palermo.core.concurrency import bump_version, lock_for_edit
from palermo.core.text import RecordText, checked_text, in_record_language

MAX_REASON = 2000


def may_transition(membership: Membership, case: Case, transition: Transition) -> bool:
    """Whether this acting membership may apply this transition to this case (not whether it is legal now)."""
    return LIFECYCLE.permits(transition, membership, case)


def transitions_for(membership: Membership, case: Case) -> list[Transition]:
    """The transitions legal from the case's phase that this membership may apply."""
    return [t for t in LIFECYCLE.available(case.phase) if may_transition(membership, case, t)]


def _clean_reason(transition: Transition, reason: str) -> str:
    return checked_text(
        reason,
        limit=MAX_REASON,
        missing=_("Give a reason for this change."),
        too_long=_("The reason is too long."),
        required=transition.needs_reason,
        code="reason_",
    )


def _clean_closure_reason(transition: Transition, closure_reason: str) -> str:
    if not closure_reason_required(transition):
        return ""
    if closure_reason not in ClosureReason.values:
        raise ValidationError(_("Choose why the case is closed."), code="closure_reason_required")
    return closure_reason


def _apply(case: Case, name: str, closure_reason: str) -> list[str]:
    """Move phase and status through the table (and the closure bookkeeping) on the locked row; returns the
    fields changed."""
    before = case.phase
    transition = LIFECYCLE.check(name, current=before)
    fields = LIFECYCLE.apply(case, name)
    if transition.target is None:  # re-opening: back where the case was before it closed
        case.phase = case.phase_before_closing or Phase.IDENTIFICATION
        case.phase_before_closing, case.closure_reason, case.closed_at = "", "", None
    elif transition.target == Phase.CLOSED:
        case.phase_before_closing = before
        case.closure_reason, case.closed_at = closure_reason, timezone.now()
    case.status = cast(CaseTransition, transition).status
    return [*fields, "status", "phase_before_closing", "closure_reason", "closed_at"]


STATUS_SUMMARY = gettext_noop("Phase: %(phase)s; status: %(status)s")


def status_values(phase: str, status: str) -> dict[str, Any]:
    """The phase and status a move's summary names, as labels: written in the deployment's language like every
    entry, and read in each reader's own."""
    return {"phase": Phase(phase).label, "status": CaseStatus(status).label}


def status_summary(phase: str, status: str) -> RecordText:
    return in_record_language(STATUS_SUMMARY) % status_values(phase, status)


def case_transition(
    *,
    actor: User,
    membership: Membership,
    case: Case,
    name: str,
    expected_version: int,
    reason: str = "",
    closure_reason: str = "",
) -> Case:
    """Apply one transition of the lifecycle table to a case, refusing a stale version.

    Raises IllegalTransition (not in the table from the current phase), PermissionDenied (not this
    membership's to apply), ValidationError (missing reason or closure reason) or StaleEdit.
    """
    if name not in LIFECYCLE:
        raise LIFECYCLE.refuse(case.phase, name)
    if not may_transition(membership, case, LIFECYCLE[name]):
        raise PermissionDenied("this membership may not apply this transition")
    with transaction.atomic():
        locked = lock_for_edit(Case, pk=case.pk, expected_version=expected_version)
        transition = LIFECYCLE.check(name, current=locked.phase)
        reason = _clean_reason(transition, reason)
        closure_reason = _clean_closure_reason(transition, closure_reason)
        locked.save(update_fields=_apply(locked, name, closure_reason))
        entry = Entry(STATUS_SUMMARY, f"case.{transition.name}", Tier.METADATA, EventKind.STATUS)
        values = status_values(locked.phase, locked.status)
        # The reason is typed by a person: sealed in the audit event, never in the log in clear.
        record_entry(entry, locked, actor=actor, membership=membership, values=values, note=reason)
    return locked


def case_exploitation_set(
    *,
    actor: User,
    membership: Membership,
    case: Case,
    forms: Iterable[str],
    expected_version: int,
) -> Case:
    """Replace the case's forms of exploitation (HTCDS values), refusing a stale version of the case and
    forms newly added that the active rulebook does not recognise."""
    wanted = set(forms)
    check_new_forms(wanted, recorded=wanted)  # unknown forms first; the rulebook is checked on the lock
    if not can_write(membership, case, Tier.METADATA):
        require_open(case)  # say so when the case being closed is why (palermo.access.closure)
        raise PermissionDenied("this membership may not edit this case")
    with transaction.atomic():
        locked = lock_for_edit(Case, pk=case.pk, expected_version=expected_version)
        current = set(locked.exploitation_forms.values_list("form", flat=True))
        # Forms already recorded may stay; new ones must be recognised by the active rulebook.
        check_new_forms(wanted, recorded=current)
        locked.exploitation_forms.filter(form__in=current - wanted).delete()
        CaseExploitation.objects.bulk_create(
            [CaseExploitation(case=locked, form=form) for form in sorted(wanted - current)]
        )
        bump_version(locked)
        locked.save(update_fields=["version"])
        listed = ",".join(sorted(wanted))
        audit_on_case(
            locked, "case.exploitation_set", Tier.METADATA, actor=actor, membership=membership, reason=listed
        )
    return locked
