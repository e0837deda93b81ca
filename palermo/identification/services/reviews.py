"""Reconsideration and appeal: the request for a review of the decision that stands, due under the active
rulebook from the day it was made (decisions.review_days, decisions.review_day_kind), and the review decision
that answers it and then stands instead.

A review decided with no request recorded before gets its request on the spot (requested when the decider
says, or when decided), so every review carries the deadline it had, like a first decision.
"""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from palermo.access.tiers import Tier
from palermo.accounts.models import Membership, User
from palermo.cases.models import Case, EventKind
from palermo.cases.services.timeline import entries_for, record_entry
from palermo.core.stamps import signed
from palermo.identification.deadlines import Deadline, decision_deadline, write_decision_deadlines
from palermo.identification.models import DecisionProcedure, IdentificationDecision, ReviewRequest
from palermo.identification.services.decisions import (
    DECISION_REVIEWED,
    DecisionInput,
    after_decision,
    check_allowed,
    clean_child_values,
    clean_decision,
    current_decision,
    require_decider,
    unsaved_decision,
)

REQUEST_SUMMARIES = {
    DecisionProcedure.RECONSIDERATION: gettext_noop("Reconsideration requested"),
    DecisionProcedure.APPEAL: gettext_noop("Appeal requested"),
}
REQUEST_ENTRIES = entries_for(
    REQUEST_SUMMARIES,
    "decision.review_request",
    Tier.METADATA,
    EventKind.DECISION,
    "identification_review_request",
)


def open_request(decision: IdentificationDecision) -> ReviewRequest | None:
    return ReviewRequest.objects.filter(decision=decision, review__isnull=True).first()


def _review_procedure(procedure: DecisionProcedure | str) -> DecisionProcedure:
    if procedure not in DecisionProcedure.values or procedure == DecisionProcedure.FIRST:
        raise ValidationError(_("A review is a reconsideration or an appeal."), code="procedure")
    return DecisionProcedure(procedure)


def _lock_standing(case: Case, original: IdentificationDecision) -> None:
    """One change at a time per case; only the decision that stands can be reviewed."""
    Case.objects.select_for_update().filter(pk=case.pk).exists()
    standing = current_decision(case, original.kind)
    if standing is None or standing.pk != original.pk:
        raise ValidationError(_("Only the decision that stands can be reviewed."), code="not_current")


def _clean_requested_at(original: IdentificationDecision, requested_at: datetime.datetime) -> None:
    if requested_at > timezone.now():
        raise ValidationError(_("A request cannot be dated in the future."), code="future")
    if requested_at < original.decided_at:
        raise ValidationError(
            _("A request cannot be dated before the decision it asks to review."), code="before"
        )


def _new_request(
    *,
    actor: User,
    membership: Membership,
    original: IdentificationDecision,
    procedure: DecisionProcedure,
    requested_at: datetime.datetime,
) -> ReviewRequest:
    _clean_requested_at(original, requested_at)
    deadline = decision_deadline("review", start=requested_at)
    return ReviewRequest.objects.create(
        case=original.case,
        decision=original,
        procedure=procedure,
        requested_at=requested_at,
        **deadline.stored(),
        **signed(actor, membership),
    )


def _record_request(actor: User, membership: Membership, request: ReviewRequest) -> None:
    entry = REQUEST_ENTRIES[DecisionProcedure(request.procedure)]
    record_entry(entry, request, actor=actor, membership=membership)


@transaction.atomic
def review_request_record(
    *,
    actor: User,
    membership: Membership,
    original: IdentificationDecision,
    procedure: DecisionProcedure | str,
    requested_at: datetime.datetime | None = None,
) -> ReviewRequest:
    """A request to reconsider or appeal the decision that stands; its review is due under the rulebook."""
    case = original.case
    require_decider(membership, case)
    procedure = _review_procedure(procedure)
    _lock_standing(case, original)
    if open_request(original) is not None:
        raise ValidationError(_("A review of this decision has already been requested."), code="requested")
    request = _new_request(
        actor=actor,
        membership=membership,
        original=original,
        procedure=procedure,
        requested_at=requested_at or timezone.now(),
    )
    write_decision_deadlines(case)
    _record_request(actor, membership, request)
    return request


def _request_answered(
    *,
    actor: User,
    membership: Membership,
    original: IdentificationDecision,
    procedure: DecisionProcedure,
    data: DecisionInput,
    decided_at: datetime.datetime,
) -> ReviewRequest:
    """The open request this review answers, or one recorded now (requested when said, else when decided)."""
    request = open_request(original)
    if request is None:
        request = _new_request(
            actor=actor,
            membership=membership,
            original=original,
            procedure=procedure,
            requested_at=data.requested_at or decided_at,
        )
        _record_request(actor, membership, request)
    elif request.procedure != procedure:
        raise ValidationError(
            _("The request was for %(procedure)s."),
            params={"procedure": DecisionProcedure(request.procedure).label},
            code="procedure",
        )
    if decided_at < request.requested_at:
        raise ValidationError(_("A review cannot be dated before it was requested."), code="before_request")
    return request


@transaction.atomic
def decision_review(
    *,
    actor: User,
    membership: Membership,
    original: IdentificationDecision,
    procedure: DecisionProcedure | str,
    data: DecisionInput,
) -> IdentificationDecision:
    """A reconsideration or appeal of the decision that stands; the new decision then stands instead."""
    case = original.case
    require_decider(membership, case)
    procedure = _review_procedure(procedure)
    grounds, reasons, decided_at = clean_decision(case, data)
    child = clean_child_values(case, data)
    _lock_standing(case, original)
    if decided_at < original.decided_at:
        raise ValidationError(_("A review cannot be dated before the decision it reviews."), code="before")
    check_allowed(case)
    request = _request_answered(
        actor=actor,
        membership=membership,
        original=original,
        procedure=procedure,
        data=data,
        decided_at=decided_at,
    )
    # The review is due when the request's deadline said.
    deadline = Deadline.kept_by(request)
    decision = unsaved_decision(
        case,
        data,
        actor,
        membership,
        deadline,
        kind=original.kind,
        procedure=procedure,
        reviews=original,
        grounds=grounds,
        reasons=reasons,
        decided_at=decided_at,
        **child,
    )
    decision.save()
    request.review = decision
    request.save(update_fields=["review"])
    after_decision(actor, membership, decision, DECISION_REVIEWED, original.positive)
    return decision
