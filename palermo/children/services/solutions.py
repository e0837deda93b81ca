"""The court's or authority's decision on the child's legal status, and the durable solution: integration in
the country of destination, return, or relocation to a third country.

A child's return is no longer decided here (docs/decisions/0050): it goes through the returns area's machinery
(request, risk assessment, receiving partner, travel plan, clearance, arrival, follow-ups), and this area's
rules apply on top (palermo.children.returning: a best-interest determination recommending it, a favourable
family assessment, the child's and the guardian's views, an accompanying adult who is not a police officer).
Returns decided here before stay readable; `return_record` and `followup_record` remain only to finish them
(their arrival, and the follow-up contacts at `children.return_followup_days`, each a deadline until done).

Each decision records the child's views and passes the decision guards (a best-interest determination first).
"""

from __future__ import annotations

import datetime
from typing import Unpack

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from palermo.access.policy import can_write
from palermo.access.tiers import Tier
from palermo.accounts.models import Membership, User
from palermo.cases.models import Case
from palermo.cases.services.timeline import Entry
from palermo.children.models import (
    ChildStatusOutcome,
    DecidingBody,
    DurableSolution,
    EscortRole,
    FamilyAssessment,
    FollowUpContact,
    LegalStatusDecision,
    RiskConclusion,
    SolutionKind,
)
from palermo.children.services.common import (
    CHILD,
    ChildHeard,
    child_views_of,
    clean_country,
    clean_past_day,
    clean_text,
    decided_on_record,
    edited_on_record,
    require_child_writer,
    require_write,
)
from palermo.children.services.followups import followup_contact_record, followups_schedule
from palermo.core.decisions import DecisionSubject
from palermo.core.rulebooks import rulebook
from palermo.core.stamps import stamped

FOLLOWUP_KIND = "children.return_followup"
STATUS_DECIDED = Entry(
    gettext_noop("Decision on the child's legal status recorded"),
    "children.legal_status.decide",
    Tier.METADATA,
    CHILD,
)
STATUS_LABEL = gettext_noop("Decision on the child's legal status")
SOLUTION_DECIDED = Entry(
    gettext_noop("Durable solution decided"), "children.solution.decide", Tier.METADATA, CHILD
)
SOLUTION_LABEL = gettext_noop("Durable solution")
RETURN_ELSEWHERE = _(
    "A child's return is prepared and recorded in the return section of the case, with the child's rules on "
    "top (a best-interest determination recommending it, the family assessment, the child's and the "
    "guardian's views, an accompanying adult): it is no longer decided as a durable solution here."
)
RETURN_DONE = Entry(
    gettext_noop("Return of the child recorded; follow-up contacts scheduled"),
    "children.return.record",
    Tier.METADATA,
    CHILD,
)
FOLLOWUP_DONE = Entry(
    gettext_noop("Follow-up contact after return recorded"), "children.return.followup", Tier.NARRATIVE, CHILD
)
SUBJECTS = {
    SolutionKind.INTEGRATION: DecisionSubject.LEGAL_STATUS,
    SolutionKind.RETURN: DecisionSubject.RETURN,
    SolutionKind.RELOCATION: DecisionSubject.RESETTLEMENT,
}


def may_decide(membership: Membership, case: Case) -> bool:
    return can_write(membership, case, Tier.NARRATIVE)


def legal_status_decide(
    *,
    actor: User,
    membership: Membership,
    case: Case,
    body: str,
    body_name: str,
    decided_on: datetime.date,
    outcome: str,
    legal_representative: str,
    reasons: str,
    **heard: Unpack[ChildHeard],
) -> LegalStatusDecision:
    require_child_writer(membership, case)
    if body not in DecidingBody.values:
        raise ValidationError({"body": _("Say whether a court or an authority decided.")})
    if outcome not in ChildStatusOutcome.values:
        raise ValidationError({"outcome": _("Choose the outcome.")})
    representative = (legal_representative or "").strip()
    if not representative:
        raise ValidationError(
            {"legal_representative": _("The child is legally represented: name the legal representative.")}
        )
    body_name = (body_name or "").strip()
    if not body_name:
        raise ValidationError({"body_name": _("Name the court or authority.")})
    views = child_views_of(heard)
    decision = LegalStatusDecision(
        case=case,
        body=body,
        body_name=body_name[:200],
        decided_on=clean_past_day(decided_on, "decided_on"),
        outcome=outcome,
        legal_representative=representative[:200],
        reasons=clean_text(reasons, "reasons"),
        **stamped(actor, membership),
        **views,
    )
    return decided_on_record(
        decision,
        STATUS_DECIDED,
        DecisionSubject.LEGAL_STATUS,
        STATUS_LABEL,
        ChildStatusOutcome(outcome).label,
        views=views,
        actor=actor,
        membership=membership,
        case=case,
    )


def durable_solution_decide(
    *,
    actor: User,
    membership: Membership,
    case: Case,
    kind: str,
    decided_on: datetime.date,
    reasons: str,
    country: str = "",
    risk_assessed_on: datetime.date | None = None,
    risk_conclusion: str = "",
    risk_summary: str = "",
    family_assessment: FamilyAssessment | None = None,
    escort_role: str = "",
    escort_name: str = "",
    **heard: Unpack[ChildHeard],
) -> DurableSolution:
    require_child_writer(membership, case)
    if kind not in SolutionKind.values:
        raise ValidationError({"kind": _("Choose the durable solution.")})
    if risk_conclusion and risk_conclusion not in RiskConclusion.values:
        raise ValidationError({"risk_conclusion": _("Choose the risk assessment's conclusion.")})
    if kind == SolutionKind.RETURN:
        raise ValidationError({"kind": RETURN_ELSEWHERE})
    views = child_views_of(heard)
    country = clean_country(country, required=kind != SolutionKind.INTEGRATION)
    if escort_role == EscortRole.POLICE:
        raise ValidationError(
            {"escort_role": _("The child is accompanied by an adult other than a police officer.")}
        )
    solution = DurableSolution(
        case=case,
        kind=kind,
        country=country,
        decided_on=clean_past_day(decided_on, "decided_on"),
        reasons=clean_text(reasons, "reasons"),
        risk_assessed_on=risk_assessed_on,
        risk_conclusion=risk_conclusion,
        risk_summary=clean_text(risk_summary, "risk_summary", required=False),
        family_assessment=None,
        escort_role=escort_role,
        escort_name=(escort_name or "").strip()[:200],
        **stamped(actor, membership, by="decided_by", at="decided_at"),
        **views,
    )
    subject = SUBJECTS[SolutionKind(kind)]
    return decided_on_record(
        solution,
        SOLUTION_DECIDED,
        subject,
        SOLUTION_LABEL,
        SolutionKind(kind).label,
        views=views,
        actor=actor,
        membership=membership,
        case=case,
    )


def return_record(
    *,
    actor: User,
    membership: Membership,
    solution: DurableSolution,
    returned_on: datetime.date,
    expected_version: int,
) -> DurableSolution:
    """The child has returned: the follow-up contacts of the rulebook are scheduled, each a deadline."""
    case = solution.case
    require_write(membership, case, Tier.NARRATIVE)
    if solution.kind != SolutionKind.RETURN:
        raise ValidationError(_("Only a decided return can be recorded as done."))
    returned_on = clean_past_day(returned_on, "returned_on")
    if returned_on < solution.decided_on:
        raise ValidationError({"returned_on": _("The return cannot come before it was decided.")})

    def not_recorded_yet(locked: DurableSolution) -> list[str]:
        if locked.returned_on is not None:
            raise ValidationError(_("This return has already been recorded."))
        return []

    def schedule(locked: DurableSolution) -> None:
        followups_schedule(
            FollowUpContact,
            FOLLOWUP_KIND,
            case=case,
            agency=membership.agency,
            returned_on=returned_on,
            days=rulebook().children.return_followup_days,
            solution=locked,
        )

    return edited_on_record(
        solution,
        RETURN_DONE,
        expected_version,
        actor=actor,
        membership=membership,
        values={"returned_on": returned_on},
        prepare=not_recorded_yet,
        then=schedule,
    )


def followup_record(
    *,
    actor: User,
    membership: Membership,
    followup: FollowUpContact,
    contacted_on: datetime.date,
    wellbeing: str,
) -> FollowUpContact:
    return followup_contact_record(
        followup,
        FOLLOWUP_DONE,
        FOLLOWUP_KIND,
        actor=actor,
        membership=membership,
        contacted_on=contacted_on,
        field="wellbeing",
        text=wellbeing,
    )
