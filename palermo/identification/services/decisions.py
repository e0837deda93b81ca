"""The identification authority's decisions: presumed victim (reasonable grounds), then identified victim
(conclusive grounds), each with its reasons, decision maker, date and the deadline it had under the active
rulebook; and their reconsideration or appeal.

Never conditional on cooperation: "cooperation with the authorities" is not among the grounds, and reasons
that state it as a condition are refused (palermo.identification.cooperation). A positive presumed victim
decision, first or on review, is announced through palermo.identification.events once committed.

Like every decision on a case (palermo.core.decisions): on a child's case it records the child's views or why
the child was not heard, other areas' guards may refuse it, and listeners hear of it once committed. Each
decision writes the case's decision deadlines (palermo.identification.deadlines). Reviews and the requests for
them: palermo.identification.services.reviews.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from palermo.access.policy import can_write
from palermo.access.tiers import Tier
from palermo.accounts.models import Membership, User
from palermo.cases.child import case_is_child
from palermo.cases.models import Case, EventKind
from palermo.cases.services.timeline import Entry, entries_for, record_entry
from palermo.core.decision_refusals import refuse_if_blocked, refuse_without_child_views
from palermo.core.decisions import CHILD_VIEWS_FIELDS, DecisionRecorded, DecisionSubject, decision_recorded
from palermo.core.service_inputs import input_of
from palermo.core.stamps import signed
from palermo.core.text import in_record_language
from palermo.identification.cooperation import cooperation_conditions
from palermo.identification.deadlines import Deadline, decision_deadline, write_decision_deadlines
from palermo.identification.events import (
    IdentifiedVictimDecided,
    PresumedVictimDecided,
    victim_decided,
)
from palermo.identification.models import (
    DecisionKind,
    DecisionOutcome,
    DecisionProcedure,
    Ground,
    IdentificationDecision,
    Screening,
    ScreeningStatus,
)
from palermo.identification.roles import DECIDERS

REASONS_MAX_LENGTH = 20000
# Words someone might send as a ground through the API; named so the refusal can say why.
COOPERATION_GROUNDS = frozenset(
    {"cooperation", "cooperation_with_authorities", "cooperation_with_the_authorities"}
)

SUMMARIES = {
    (DecisionKind.PRESUMED, DecisionOutcome.POSITIVE): gettext_noop("Presumed victim decision: positive"),
    (DecisionKind.PRESUMED, DecisionOutcome.NEGATIVE): gettext_noop("Presumed victim decision: negative"),
    (DecisionKind.IDENTIFIED, DecisionOutcome.POSITIVE): gettext_noop("Identified victim decision: positive"),
    (DecisionKind.IDENTIFIED, DecisionOutcome.NEGATIVE): gettext_noop("Identified victim decision: negative"),
}
REVIEW_SUMMARY = gettext_noop("Decision reviewed")
# A decision's entry is case metadata (that it was taken, and its outcome); its audit event is at the tier of
# the reasons written with it.
DECISION_TAKEN = entries_for(
    SUMMARIES, "decision.take", Tier.METADATA, EventKind.DECISION, "identification_decision", Tier.NARRATIVE
)
DECISION_REVIEWED = Entry(
    REVIEW_SUMMARY,
    "decision.review",
    Tier.METADATA,
    EventKind.DECISION,
    "identification_decision",
    Tier.NARRATIVE,
)


@dataclass(frozen=True)
class DecisionInput:
    outcome: str
    grounds: Iterable[str]
    reasons: str
    screening: Screening | None = None
    decided_at: datetime.datetime | None = None
    # The child's views (palermo.core.decisions.ChildViewsRecord): required in some form on a child's case.
    child_views: str = ""
    child_not_heard_reason: str = ""
    child_age_when_heard: int | None = None
    child_interpreter: str = ""
    # A review only: when the reconsideration or appeal was requested, if no request was recorded before.
    requested_at: datetime.datetime | None = None

    def child_values(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in CHILD_VIEWS_FIELDS}

    @classmethod
    def of(cls, values: Mapping[str, Any], **more: Any) -> DecisionInput:
        """The decision as a form or the API validated it (outcome, grounds, reasons and whichever of the
        child's views it has: an adult's case has none), with `more` (the screening, when requested)."""
        return input_of(cls, values, **more)


def may_decide(membership: Membership, case: Case) -> bool:
    return membership.role in DECIDERS and can_write(membership, case, Tier.NARRATIVE)


def require_decider(membership: Membership, case: Case) -> None:
    if not may_decide(membership, case):
        raise PermissionDenied("only the identification authority on the case decides")


def clean_grounds(grounds: Iterable[str]) -> list[str]:
    chosen = list(dict.fromkeys(grounds))
    if any(g.casefold() in COOPERATION_GROUNDS for g in chosen):
        raise ValidationError(
            _("Cooperation with the authorities is never a ground: no decision depends on it."),
            code="cooperation_ground",
        )
    unknown = [g for g in chosen if g not in Ground.values]
    if unknown:
        raise ValidationError(_("Unknown ground: %(grounds)s."), params={"grounds": ", ".join(unknown)})
    if not chosen:
        raise ValidationError(_("Choose at least one ground."), code="no_ground")
    return [g for g in Ground.values if g in chosen]


def clean_reasons(reasons: str) -> str:
    """Required, bounded, and never making the decision depend on cooperation with the authorities."""
    reasons = reasons.strip()
    if not reasons:
        raise ValidationError(_("Write the reasons for the decision."), code="required")
    if len(reasons) > REASONS_MAX_LENGTH:
        raise ValidationError(_("At most %(limit)d characters."), params={"limit": REASONS_MAX_LENGTH})
    if cooperation_conditions(reasons):
        raise ValidationError(
            _(
                "A decision is never conditional on the person's cooperation with the authorities, and the "
                "reasons may not make it so. If you mention contact with the police or the proceedings, say "
                "in the same sentence that it played no part (for example: 'regardless of whether ...')."
            ),
            code="cooperation_condition",
        )
    return reasons


def clean_child_values(case: Case, data: DecisionInput) -> dict[str, Any]:
    """The child's views, stripped; refused when a child's case lacks them. Blank on an adult's case."""
    values = data.child_values()
    for name in ("child_views", "child_not_heard_reason", "child_interpreter"):
        values[name] = str(values[name] or "").strip()
    refuse_without_child_views(case_is_child(case), values)
    if not case_is_child(case):
        return {name: None if name == "child_age_when_heard" else "" for name in CHILD_VIEWS_FIELDS}
    return values


def check_allowed(case: Case) -> None:
    """Other areas' guards on identification decisions, as a refusal both doors show."""
    refuse_if_blocked(case, DecisionSubject.IDENTIFICATION)


def announce_recorded(decision: IdentificationDecision, label: str) -> None:
    """Listeners (the child's guardian...) hear of the decision once committed: ids and a label only."""
    decision_recorded(
        DecisionRecorded(
            case_id=decision.case_id,
            subject=DecisionSubject.IDENTIFICATION,
            label=label,
            object_type="identification_decision",
            object_id=decision.pk,
            decided_at=decision.decided_at,
            actor_id=decision.decided_by_id,
        )
    )


def clean_decision(case: Case, data: DecisionInput) -> tuple[list[str], str, datetime.datetime]:
    if data.outcome not in DecisionOutcome.values:
        raise ValidationError(_("The outcome is positive or negative."), code="outcome")
    grounds, reasons = clean_grounds(data.grounds), clean_reasons(data.reasons)
    if data.screening is not None and (
        data.screening.case_id != case.pk or data.screening.status != ScreeningStatus.COMPLETE
    ):
        raise ValidationError(
            _("Only a completed screening of this case can be considered."), code="screening"
        )
    decided_at = data.decided_at or timezone.now()
    if decided_at > timezone.now():
        raise ValidationError(_("A decision cannot be dated in the future."), code="future")
    if decided_at < case.opened_at:
        raise ValidationError(_("A decision cannot be dated before the referral."), code="before_referral")
    return grounds, reasons, decided_at


def current_decision(case: Case, kind: DecisionKind | str) -> IdentificationDecision | None:
    """The decision of this kind that stands: the latest taken, first or on review."""
    return IdentificationDecision.objects.filter(case=case, kind=kind).order_by("-decided_at", "-id").first()


def _deadline(case: Case, kind: DecisionKind) -> Deadline:
    """Presumed: from the referral. Identified: from the positive presumed victim decision that stands."""
    if kind == DecisionKind.PRESUMED:
        return decision_deadline(kind, start=case.opened_at)
    presumed = current_decision(case, DecisionKind.PRESUMED)
    if presumed is None or not presumed.positive:
        raise ValidationError(
            _("An identified victim decision follows a positive presumed victim decision."),
            code="no_presumed",
        )
    return decision_deadline(kind, start=presumed.decided_at)


def unsaved_decision(
    case: Case, data: DecisionInput, actor: User, membership: Membership, deadline: Deadline, **fields: Any
) -> IdentificationDecision:
    """A new decision by this member, due as `deadline` says; `fields` hold the rest (kind, reasons...)."""
    return IdentificationDecision(
        case=case,
        outcome=data.outcome,
        screening=data.screening,
        **signed(actor, membership, by="decided_by"),
        **deadline.stored(),
        **fields,
    )


def after_decision(
    actor: User, membership: Membership, decision: IdentificationDecision, entry: Entry, was_positive: bool
) -> None:
    """What follows a saved decision: the case's decision deadlines, its timeline entry and audit event, and
    the announcements (sent once the transaction commits)."""
    write_decision_deadlines(decision.case)
    record_entry(entry, decision, actor=actor, membership=membership)
    announce_presumed(decision, was_positive=was_positive)
    announce_recorded(decision, in_record_language(entry.summary))


def announce_presumed(decision: IdentificationDecision, *, was_positive: bool) -> None:
    """A decision that turned positive is announced to the hooks of its kind, once it commits."""
    if not decision.positive or was_positive:
        return
    facts = (decision.pk, decision.case_id, decision.decided_at, decision.reviews_id is not None)
    if decision.kind == DecisionKind.PRESUMED:
        victim_decided(PresumedVictimDecided(*facts))
    elif decision.kind == DecisionKind.IDENTIFIED:
        victim_decided(IdentifiedVictimDecided(*facts))


@transaction.atomic
def decision_take(
    *, actor: User, membership: Membership, case: Case, kind: DecisionKind | str, data: DecisionInput
) -> IdentificationDecision:
    """The first presumed victim or identified victim decision on a case."""
    require_decider(membership, case)
    kind = DecisionKind(kind)
    grounds, reasons, decided_at = clean_decision(case, data)
    child = clean_child_values(case, data)
    Case.objects.select_for_update().filter(pk=case.pk).exists()  # one decision at a time per case
    check_allowed(case)
    if IdentificationDecision.objects.filter(
        case=case, kind=kind, procedure=DecisionProcedure.FIRST
    ).exists():
        raise ValidationError(
            _("This decision has been taken; a change is a reconsideration or an appeal."), code="taken"
        )
    decision = unsaved_decision(
        case,
        data,
        actor,
        membership,
        _deadline(case, kind),
        kind=kind,
        grounds=grounds,
        reasons=reasons,
        decided_at=decided_at,
        **child,
    )
    decision.save()
    after_decision(actor, membership, decision, DECISION_TAKEN[(kind, DecisionOutcome(data.outcome))], False)
    return decision
