"""The case's assistance in the API: overview at the caller's tiers, needs assessment, plan, referrals and
stays. The same services and selectors as the case page."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError

from palermo.access.tiered import Tiered
from palermo.accounts.active import acting
from palermo.assistance import selectors
from palermo.assistance.api import serializers as s
from palermo.assistance.api.common import CONFLICT, REFUSALS
from palermo.assistance.models import Placement, Referral, ServiceKind
from palermo.assistance.services import placements, plans, referrals
from palermo.cases.endpoints import CaseAction, CaseRead, Reading


def referral_data(referral: Referral | Tiered[Referral], tiers: frozenset[int]) -> dict[str, Any]:
    return dict(s.ReferralSerializer(referral, context={"tiers": tiers}).data)


def placement_data(placement: Placement | Tiered[Placement], tiers: frozenset[int]) -> dict[str, Any]:
    return dict(s.PlacementSerializer(placement, context={"tiers": tiers}).data)


def staff_member(case: Any, user_id: int | None) -> Any:
    """The team member named as responsible, or None when none was named; a refusal (400) for anyone else."""
    if user_id is None:
        return None
    user = selectors.case_staff(case).filter(pk=user_id).first()
    if user is None:
        raise ValidationError({"responsible": "Choose someone on the case team."})
    return user


def plan_data(plan: Any, tiers: frozenset[int]) -> dict[str, Any]:
    return dict(s.PlanSerializer(plan, context={"tiers": tiers}).data)


class CaseAssistance(CaseRead):
    reading = Reading(
        "A case's assistance",
        s.CaseAssistanceSerializer,
        "Needs assessment and plan content at T4, referrals and stays at T1 (addresses at T3); fields of "
        "tiers the caller lacks are null. Reading T3/T4 content is audited.",
    )
    refusals = REFUSALS

    def read(self, case: Any, tiers: frozenset[int], **ids: Any) -> Any:
        _user, membership = acting(self.request)
        shown = selectors.case_assistance_shown(case, membership, tiers)
        assessment, plan = shown.assessment, shown.plan
        return {
            "tiers": sorted(tiers),
            "assessment": s.AssessmentSerializer(assessment, context={"tiers": tiers}).data
            if assessment
            else None,
            "plan": plan_data(plan, tiers) if plan else None,
            "referrals": [referral_data(r, tiers) for r in shown.referrals],
            "placements": [placement_data(p, tiers) for p in shown.placements],
        }


class AssessmentCreate(CaseAction):
    summary = "Record a needs assessment"
    input = s.AssessmentCreateSerializer
    output = s.AssessmentSerializer
    refusals = REFUSALS
    created = True
    service = plans.assessment_record


class PlanCreate(CaseAction):
    summary = "Draw up the assistance plan"
    description = "One active plan per case; the review date becomes a deadline."
    input = s.PlanCreateSerializer
    output = s.PlanSerializer
    refusals = REFUSALS
    created = True

    def perform(self, user: Any, membership: Any, target: Any, data: dict[str, Any]) -> Any:
        data["responsible"] = staff_member(target, data["responsible"])
        assessment = selectors.latest_assessment(target)
        plans.plan_create(actor=user, membership=membership, case=target, assessment=assessment, **data)
        return selectors.active_plan(target)


class PlanDetail(CaseAction):
    method = "patch"
    summary = "Review or change the plan"
    description = "State the version read; a stale version answers 409 and nothing changes."
    input = s.PlanUpdateSerializer
    output = s.PlanSerializer
    refusals = {409: CONFLICT, **REFUSALS}

    def target(self, case: Any, **ids: Any) -> Any:
        return selectors.plan_for(case, ids["plan_id"])

    def perform(self, user: Any, membership: Any, target: Any, data: dict[str, Any]) -> Any:
        data["responsible"] = staff_member(target.case, data["responsible"]) or target.responsible
        plans.plan_update(actor=user, membership=membership, plan=target, **data)
        return target

    def answer(self, case: Any, tiers: frozenset[int], record: Any) -> Any:
        return plan_data(selectors.plan_for(case, record.pk), tiers)


class PlanServiceCreate(CaseAction):
    summary = "Add a service to the plan"
    input = s.PlanServiceCreateSerializer
    output = s.PlanServiceSerializer
    refusals = REFUSALS
    created = True

    def target(self, case: Any, **ids: Any) -> Any:
        return selectors.plan_for(case, ids["plan_id"])

    def perform(self, user: Any, membership: Any, target: Any, data: dict[str, Any]) -> Any:
        responsible = staff_member(target.case, data["responsible"])
        return plans.plan_service_add(
            actor=user, membership=membership, plan=target, kind=data["kind"], responsible=responsible
        )


class PlanServiceChoice(CaseAction):
    summary = "The person's agreement or refusal of a plan service"
    description = "Services are voluntary: a refused service is not referred to."
    input = s.ChoiceSerializer
    output = s.PlanServiceSerializer
    refusals = REFUSALS

    def target(self, case: Any, **ids: Any) -> Any:
        return selectors.plan_service_for(case, ids["item_id"])

    def perform(self, user: Any, membership: Any, target: Any, data: dict[str, Any]) -> Any:
        return plans.plan_service_choice(
            actor=user, membership=membership, item=target, choice=data["choice"]
        )


class ReferralAction(CaseAction):
    # A write on the case's referrals: the answer is the referral read again as the case page shows it.

    output = s.ReferralSerializer

    def target(self, case: Any, **ids: Any) -> Any:
        return selectors.case_referral_for(case, ids["referral_id"])

    def answer(self, case: Any, tiers: frozenset[int], record: Any) -> Any:
        return referral_data(selectors.case_referral_for(case, record.pk), tiers)


class ReferralCreate(ReferralAction):
    summary = "Refer the case to a provider's service"
    description = (
        "Needs a valid consent to referral naming the provider agency (the guardian's, for a child); the "
        "provider receives only the minimal package. Refused with 400 without consent."
    )
    input = s.ReferralCreateSerializer
    refusals = REFUSALS
    created = True

    def target(self, case: Any, **ids: Any) -> Any:
        return case

    def perform(self, user: Any, membership: Any, target: Any, data: dict[str, Any]) -> Any:
        service = selectors.services_for_case(target).filter(pk=data["service"]).first()
        if service is None:
            raise ValidationError({"service": "No such active service for this case."})
        return referrals.referral_send(
            actor=user,
            membership=membership,
            case=target,
            service=service,
            specific_needs=data["specific_needs"],
        )


class ReferralWithdraw(ReferralAction):
    summary = "Withdraw a referral"
    input = s.ExpectedVersionSerializer
    refusals = {409: CONFLICT, **REFUSALS}
    service = referrals.referral_withdraw
    acts_on = "referral"


class ReferralFeedback(ReferralAction):
    summary = "The person's feedback on a service"
    input = s.FeedbackSerializer
    refusals = {409: CONFLICT, **REFUSALS}
    service = referrals.referral_feedback
    acts_on = "referral"


class PlacementCreate(CaseAction):
    summary = "Place in safe accommodation"
    description = "Refused with 400 when every place is taken; the address is location (T3)."
    input = s.PlacementCreateSerializer
    output = s.PlacementSerializer
    refusals = REFUSALS
    created = True

    def perform(self, user: Any, membership: Any, target: Any, data: dict[str, Any]) -> Any:
        accommodation = selectors.services_for_case(target).filter(kind=ServiceKind.SAFE_ACCOMMODATION)
        service = accommodation.filter(pk=data["service"]).first()
        if service is None:
            raise ValidationError({"service": "No such active accommodation for this case."})
        return placements.placement_start(
            actor=user, membership=membership, case=target, service=service, address=data["address"]
        )


class PlacementEnd(CaseAction):
    summary = "End a stay in safe accommodation"
    input = s.PlacementEndSerializer
    output = s.PlacementSerializer
    refusals = {409: CONFLICT, **REFUSALS}
    service = placements.placement_end
    acts_on = "placement"

    def target(self, case: Any, **ids: Any) -> Any:
        return selectors.case_placement_for(case, ids["placement_id"])
