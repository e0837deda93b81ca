"""Decisions on residence applications, appeals against refusals, and the permits a grant gives.

A decision states its outcome, reasons (T2: the legal basis of a decision on the person's status, so the
migration officer on the team records it) and, for a refusal, a ground from a closed list. Where the
rulebook's `residence.status_may_depend_on_cooperation` is false (the paper), a refusal on the ground of
non-cooperation is refused, and so are reasons that make the refusal depend on cooperation with the
authorities (the same rule as identification decisions: palermo.identification.cooperation).

A granted application of a permit kind gives a permit valid from/to, never shorter than the rulebook's
`residence.permit_minimum_months`, with the rights to work and study the rulebook gives that day. Its expiry
and the opening of its renewal window (`residence.renewal_window_days` before expiry, when renewable) are
deadlines; granting its renewal closes both. A refused application may be appealed; the appeal's decision is
due `residence.appeal_decision_days` after the appeal (the appeal body's period, not the first decision's).

Every decision goes through the guards of palermo.core.decisions (a child's legal status or resettlement
waits for a best-interest determination) and records the child's views on a child's case: stated by whoever
decides, the migration officer included, as part of the decision; stored and audited at T4.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from palermo.access.policy import can_write, require
from palermo.access.tiers import Tier
from palermo.accounts.models import Membership, User
from palermo.cases.child import case_is_child
from palermo.cases.models import Case
from palermo.cases.services.timeline import in_record_language
from palermo.core.concurrency import lock_for_edit
from palermo.core.decision_refusals import refuse_if_blocked, refuse_without_child_views
from palermo.core.decisions import DecisionRecorded, DecisionSubject, decision_recorded, states_child_views
from palermo.core.periods import add_months
from palermo.core.rulebooks import rulebook
from palermo.core.stamps import stamped
from palermo.deadlines.services import complete_deadlines, reassign_deadlines, set_deadline_on
from palermo.identification.cooperation import cooperation_conditions
from palermo.residence.models import (
    Appeal,
    Application,
    ApplicationKind,
    ApplicationStatus,
    Decision,
    Outcome,
    Permit,
    PermitKind,
    RefusalGround,
)
from palermo.residence.services.applications import (
    DECISION_DUE_KIND,
    EXPIRY_KIND,
    RENEWAL_KIND,
    appeal_decision_due_on,
    kind_label,
)
from palermo.residence.services.common import (
    LONGEST_VALIDITY_DAYS,
    changed,
    clean_authority,
    clean_day,
    clean_text,
    deciding_agency,
    may_decide,
    may_record_application,
    move,
    timeline,
)

APPEAL_DUE_KIND = "residence.appeal_decision_due"
MAX_START_DISTANCE_DAYS = 3660
PERMIT_KINDS = {
    ApplicationKind.TEMPORARY: PermitKind.TEMPORARY,
    ApplicationKind.RENEWAL: PermitKind.TEMPORARY,
    ApplicationKind.PERMANENT: PermitKind.PERMANENT,
    ApplicationKind.HUMANITARIAN: PermitKind.HUMANITARIAN,
    ApplicationKind.ASYLUM: PermitKind.PROTECTION,
}
DECIDED = gettext_noop("Decision on the application (%(kind)s): %(outcome)s")
APPEAL_DECIDED = gettext_noop("Decision on appeal (%(kind)s): %(outcome)s")
APPEALED = gettext_noop("Appeal lodged against the refusal: %(kind)s")
PERMIT = gettext_noop("Permit valid from %(start)s to %(end)s")


@dataclass(frozen=True)
class DecisionInput:
    outcome: str
    reasons: str
    decided_on: datetime.date | None = None
    refusal_ground: str = ""
    valid_from: datetime.date | None = None
    valid_to: datetime.date | None = None
    child_views: dict[str, Any] = field(default_factory=dict)


def minimum_valid_to(valid_from: datetime.date) -> datetime.date:
    """The earliest last day of a permit starting on `valid_from` under the rulebook's minimum validity: a
    six-month permit from 1 January is valid to 30 June inclusive."""
    months = rulebook().residence.permit_minimum_months
    return add_months(valid_from, months) - datetime.timedelta(days=1) if months else valid_from


def subject_of(application: Application) -> DecisionSubject:
    if application.kind == ApplicationKind.RESETTLEMENT:
        return DecisionSubject.RESETTLEMENT
    return DecisionSubject.LEGAL_STATUS


def cooperation_problem(outcome: str, ground: str, reasons: str) -> ValidationError | None:
    """Why a refusal may not stand where status may not depend on cooperation; None when it may."""
    if outcome != Outcome.REFUSED or rulebook().residence.status_may_depend_on_cooperation:
        return None
    if ground == RefusalGround.NON_COOPERATION:
        return ValidationError(
            _(
                "Under the rulebook in force, residence status never depends on cooperation with the "
                "authorities: a refusal cannot rest on non-cooperation."
            ),
            code="cooperation_ground",
        )
    if cooperation_conditions(reasons):
        return ValidationError(
            _(
                "The reasons make the refusal depend on cooperation with the authorities, which the rulebook "
                "in force does not allow. If you mention the proceedings, say in the same sentence that they "
                "played no part (for example: 'regardless of whether ...')."
            ),
            code="cooperation_condition",
        )
    return None


def _clean_outcome(data: DecisionInput) -> tuple[str, str]:
    if data.outcome not in Outcome.values:
        raise ValidationError(_("The outcome is granted or refused."), code="outcome")
    ground = data.refusal_ground if data.outcome == Outcome.REFUSED else ""
    if data.outcome == Outcome.REFUSED and ground not in RefusalGround.values:
        raise ValidationError(_("Give the ground of the refusal."), code="ground")
    reasons = clean_text(data.reasons, required=True, missing=_("Write the reasons for the decision."))
    problem = cooperation_problem(data.outcome, ground, reasons)
    if problem is not None:
        raise problem
    return ground, reasons


def _clean_validity(
    application: Application, data: DecisionInput, decided_on: datetime.date
) -> tuple[datetime.date, datetime.date] | None:
    """The permit's validity for a grant of a permit kind, checked against the rulebook's minimum."""
    if data.outcome != Outcome.GRANTED or application.kind not in PERMIT_KINDS:
        return None
    previous = application.renews
    start = data.valid_from or (
        max(previous.valid_to + datetime.timedelta(days=1), decided_on) if previous else decided_on
    )
    if abs((start - decided_on).days) > MAX_START_DISTANCE_DAYS:
        raise ValidationError(_("A permit starts within ten years of its decision."), code="validity")
    end = data.valid_to or minimum_valid_to(start)
    if end < start or (end - start).days > LONGEST_VALIDITY_DAYS:
        raise ValidationError(_("A permit ends after it starts, within a hundred years."), code="validity")
    shortest = minimum_valid_to(start)
    if end < shortest:
        raise ValidationError(
            _(
                "A residence permit is valid for at least %(months)d months under the rulebook in force: "
                "from %(start)s, until %(end)s or later."
            ),
            code="too_short",
            params={
                "months": rulebook().residence.permit_minimum_months,
                "start": date_format(start),
                "end": date_format(shortest),
            },
        )
    return start, end


def decision_tier(membership: Membership, application: Application, data: DecisionInput) -> Tier:
    """The tier the decision's record touches: legal status (T2), and narrative (T4) when it carries the
    child's views. On a child's case the decider states them as part of the decision (art. 12 CRC), whatever
    T4 the matrix gives its role; on an adult's case there are none to state, so only T4 writers write any."""
    if case_is_child(application.case):
        return Tier.NARRATIVE
    if not states_child_views(data.child_views):
        return Tier.IDENTITY
    require(can_write(membership, application.case, Tier.NARRATIVE), "narrative on an adult's case is T4")
    return Tier.NARRATIVE


def _guards(application: Application, data: DecisionInput) -> None:
    refuse_if_blocked(application.case, subject_of(application))
    refuse_without_child_views(case_is_child(application.case), data.child_views)


def set_permit_deadlines(permit: Permit) -> None:
    set_deadline_on(permit.valid_to, case=permit.case, kind=EXPIRY_KIND, source=permit)
    if permit.renewable and rulebook().residence.renewable:
        opens = permit.valid_to - datetime.timedelta(days=rulebook().residence.renewal_window_days)
        set_deadline_on(max(opens, permit.valid_from), case=permit.case, kind=RENEWAL_KIND, source=permit)


def _grant_permit(
    application: Application, decision: Decision, validity: tuple[datetime.date, datetime.date]
) -> Permit:
    permit = Permit.objects.create(
        case=application.case,
        decision=decision,
        kind=PERMIT_KINDS[ApplicationKind(application.kind)],
        route=application.route,
        valid_from=validity[0],
        valid_to=validity[1],
        allows_work=rulebook().residence.permit_allows_work,
        allows_study=rulebook().residence.permit_allows_study,
        renewable=rulebook().residence.renewable,
        rulebook=settings.PALERMO_RULEBOOK,
    )
    set_permit_deadlines(permit)
    previous = application.renews
    if previous is not None:
        previous.renewed_by = permit
        previous.save(update_fields=["renewed_by"])
        complete_deadlines(previous, EXPIRY_KIND, RENEWAL_KIND)
    return permit


def _open_appeal(application: Application) -> Appeal | None:
    if application.status != ApplicationStatus.APPEALED:
        return None
    return application.appeals.filter(decision__isnull=True).order_by("-lodged_on", "-pk").first()


@transaction.atomic
def decision_record(
    *,
    actor: User,
    membership: Membership,
    application: Application,
    data: DecisionInput,
    expected_version: int,
) -> Decision:
    """Record the decision on a pending application, or on its appeal. Raises StaleEdit on a stale version."""
    case = application.case
    require(may_decide(membership, case), "this membership may not record residence decisions here")
    tier = decision_tier(membership, application, data)
    ground, reasons = _clean_outcome(data)
    locked = lock_for_edit(Application, pk=application.pk, expected_version=expected_version)
    locked.case, locked.renews = case, application.renews
    appeal = _open_appeal(locked)
    decided_on = clean_day(data.decided_on, case, not_before=appeal.lodged_on if appeal else locked.lodged_on)
    validity = _clean_validity(locked, data, decided_on)
    _guards(locked, data)
    fields = move(
        locked, ApplicationStatus.GRANTED if data.outcome == Outcome.GRANTED else ApplicationStatus.REFUSED
    )
    locked.save(update_fields=fields)
    decision = Decision.objects.create(
        application=locked,
        appeal=appeal,
        outcome=data.outcome,
        refusal_ground=ground,
        reasons=reasons,
        decided_on=decided_on,
        **stamped(actor, membership, by="decided_by"),
        rulebook=settings.PALERMO_RULEBOOK,
        **data.child_views,
    )
    complete_deadlines(appeal or locked, APPEAL_DUE_KIND if appeal else DECISION_DUE_KIND)
    if validity is not None:
        permit = _grant_permit(locked, decision, validity)
        validity_values = {"start": permit.valid_from, "end": permit.valid_to}
        timeline(
            locked,
            permit,
            PERMIT,
            actor=actor,
            membership=membership,
            object_type="residence_permit",
            values=validity_values,
        )
    message = APPEAL_DECIDED if appeal else DECIDED
    values = {
        "kind": kind_label(locked.kind),
        "outcome": Outcome(data.outcome).label,
    }
    changed(
        locked,
        decision,
        message,
        "residence.decide",
        tier,
        actor=actor,
        membership=membership,
        object_type="residence_decision",
        values=values,
    )
    label = in_record_language(message) % values
    decision_recorded(
        DecisionRecorded(
            case_id=case.pk,
            subject=subject_of(locked),
            label=label,
            object_type="residence_decision",
            object_id=decision.pk,
            decided_at=decision.recorded_at,
            actor_id=actor.pk,
        )
    )
    return decision


@transaction.atomic
def appeal_lodge(
    *,
    actor: User,
    membership: Membership,
    application: Application,
    body: str,
    expected_version: int,
    lodged_on: datetime.date | None = None,
    grounds: str = "",
) -> Appeal:
    """Appeal a refused application; its decision falls due after the rulebook's appeal period. Grounds are
    T4."""
    case = application.case
    require(may_record_application(membership, case), "this membership may not lodge appeals here")
    grounds = clean_text(grounds, required=False)
    if grounds:
        require(can_write(membership, case, Tier.NARRATIVE), "grounds of appeal are T4")
    body = clean_authority(body)
    locked = lock_for_edit(Application, pk=application.pk, expected_version=expected_version)
    locked.case = case
    refusal = locked.decisions.order_by("-decided_on", "-pk").first()
    fields = move(locked, ApplicationStatus.APPEALED)
    lodged_on = clean_day(lodged_on, case, not_before=refusal.decided_on if refusal else None)
    locked.save(update_fields=fields)
    assert refusal is not None  # noqa: S101  (only a refused application can move to appealed)
    appeal = Appeal.objects.create(
        application=locked,
        refused_by=refusal,
        lodged_on=lodged_on,
        body=body,
        grounds=grounds,
        **stamped(actor, membership, by="lodged_by", at="created_at"),
    )
    set_deadline_on(
        appeal_decision_due_on(lodged_on),
        case=case,
        kind=APPEAL_DUE_KIND,
        source=appeal,
        agency=deciding_agency(case),
    )
    tier = Tier.NARRATIVE if grounds else Tier.METADATA
    changed(
        locked,
        appeal,
        APPEALED,
        "residence.appeal",
        tier,
        actor=actor,
        membership=membership,
        object_type="residence_appeal",
        values={"kind": kind_label(locked.kind)},
    )
    return appeal


def decision_deadlines_follow_the_team(case: Case) -> int:
    """After a change of the case team or its lead (palermo.access.duties): the open application and appeal
    decision deadlines go to the agency whose decision they now await. Returns how many moved."""
    return reassign_deadlines(case, [DECISION_DUE_KIND, APPEAL_DUE_KIND], deciding_agency(case))
