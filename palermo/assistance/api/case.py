"""The case's assistance in the API: overview at the caller's tiers, needs assessment, plan, referrals and
stays. The same services and selectors as the case page."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.urls import reverse
from django.utils import translation
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from palermo.access.policy import tiers_allowed
from palermo.access.selectors import case_for
from palermo.access.tiered import Tiered
from palermo.access.tiers import Tier
from palermo.accounts.active import acting
from palermo.accounts.models import Membership
from palermo.assistance import selectors
from palermo.assistance.api import serializers as s
from palermo.assistance.api.common import NOT_FOUND, REFUSALS, VERSIONED_REFUSALS
from palermo.assistance.models import Placement, Referral, ServiceKind
from palermo.assistance.selectors import summary_printed
from palermo.assistance.services import placements, plans, referrals
from palermo.assistance.summary import (
    LANGUAGE_CODES,
    language_choices,
    summary_language,
    summary_pdf_response,
)
from palermo.cases.dates import person_dates
from palermo.cases.endpoints import CaseAction, CaseRead, Reading
from palermo.cases.models import Case
from palermo.cases.web import API_ROLES


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


class CaseCreate(CaseAction):
    # A new record on the case (201), refused with 400 or 404.
    refusals = REFUSALS
    created = True


def active_service(services: Any, pk: int, missing: str) -> Any:
    """The service of `services` (those open to the case) with that id; a refusal (400) naming `missing`."""
    service = services.filter(pk=pk).first()
    if service is None:
        raise ValidationError({"service": f"No such active {missing} for this case."})
    return service


class AssessmentCreate(CaseCreate):
    summary = "Record a needs assessment"
    input = s.AssessmentCreateSerializer
    output = s.AssessmentSerializer
    service = plans.assessment_record


class PlanCreate(CaseCreate):
    summary = "Draw up the assistance plan"
    description = "One active plan per case; the review date becomes a deadline."
    input = s.PlanCreateSerializer
    output = s.PlanSerializer

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
    refusals = VERSIONED_REFUSALS

    def target(self, case: Any, **ids: Any) -> Any:
        return selectors.plan_for(case, ids["plan_id"])

    def perform(self, user: Any, membership: Any, target: Any, data: dict[str, Any]) -> Any:
        data["responsible"] = staff_member(target.case, data["responsible"]) or target.responsible
        plans.plan_update(actor=user, membership=membership, plan=target, **data)
        return target

    def answer(self, case: Any, tiers: frozenset[int], record: Any) -> Any:
        return plan_data(selectors.plan_for(case, record.pk), tiers)


class PlanServiceCreate(CaseCreate):
    summary = "Add a service to the plan"
    input = s.PlanServiceCreateSerializer
    output = s.PlanServiceSerializer

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
    # A change of one of the case's referrals, at the version read (its `service` acts on the referral): the
    # answer is the referral read again as the case page shows it.

    output = s.ReferralSerializer
    refusals = VERSIONED_REFUSALS
    acts_on = "referral"

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
        service = active_service(selectors.services_for_case(target), data["service"], "service")
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
    service = referrals.referral_withdraw


class ReferralFeedback(ReferralAction):
    summary = "The person's feedback on a service"
    input = s.FeedbackSerializer
    service = referrals.referral_feedback


class PlacementCreate(CaseCreate):
    summary = "Place in safe accommodation"
    description = "Refused with 400 when every place is taken; the address is location (T3)."
    input = s.PlacementCreateSerializer
    output = s.PlacementSerializer

    def perform(self, user: Any, membership: Any, target: Any, data: dict[str, Any]) -> Any:
        accommodation = selectors.services_for_case(target).filter(kind=ServiceKind.SAFE_ACCOMMODATION)
        service = active_service(accommodation, data["service"], "accommodation")
        return placements.placement_start(
            actor=user, membership=membership, case=target, service=service, address=data["address"]
        )


class PlacementEnd(CaseAction):
    summary = "End a stay in safe accommodation"
    input = s.PlacementEndSerializer
    output = s.PlacementSerializer
    refusals = VERSIONED_REFUSALS
    service = placements.placement_end
    acts_on = "placement"

    def target(self, case: Any, **ids: Any) -> Any:
        return selectors.case_placement_for(case, ids["placement_id"])


LANGUAGE_PARAMETER = OpenApiParameter(
    "lang",
    str,
    enum=list(LANGUAGE_CODES),
    required=False,
    description="The summary's language; by default the person's first language it is written in.",
)


def summary_case(request: Request, reference: str) -> tuple[Case, Membership, str]:
    """The case whose summary the caller may print (it states the plan: narrative access, else 404), the
    caller's membership and the language asked for; the print is recorded with its language."""
    _user, membership = acting(request)
    case = case_for(membership, reference, Tier.NARRATIVE, reason="printable summary")
    language = summary_language(case, request.query_params.get("lang", ""))
    return summary_printed(membership, case, language), membership, language


class Summary(APIView):
    palermo_roles = API_ROLES

    @extend_schema(
        summary="The person's summary",
        description=(
            "What the person's printable summary states, in the language asked for: their own dates (the end "
            "of the reflection period, permits, decisions and applications pending), the case worker and how "
            "to reach their agency, and every language it is written in (the person's first). Needs access "
            "to the person's story (the summary states the plan); every read is recorded as a print."
        ),
        parameters=[LANGUAGE_PARAMETER],
        responses={200: s.PersonSummarySerializer, 404: NOT_FOUND},
    )
    def get(self, request: Request, reference: str) -> Response:
        case, _membership, language = summary_case(request, reference)
        worker, agency = selectors.case_worker(case, selectors.active_plan(case))
        with translation.override(language):
            dates = [
                {
                    "kind": d.kind,
                    "kind_name": str(d.kind.label),
                    "on": d.on,
                    "since": d.since,
                    "pending": d.pending,
                }
                for d in person_dates(case)
            ]
        answer = {
            "language": language,
            "languages": [vars(choice) for choice in language_choices(case)],
            "dates": dates,
            "contact": {
                "case_worker_display_name": worker.display_name if worker is not None else None,
                "agency": agency.name,
                "phone": agency.phone,
                "email": agency.email,
            },
            "pdf": reverse("api-assistance-summary-pdf", args=[case.reference]) + f"?lang={language}",
        }
        return Response(s.PersonSummarySerializer(answer).data)


class SummaryPdf(APIView):
    palermo_roles = API_ROLES

    @extend_schema(
        summary="The person's summary as a PDF",
        description="The printable summary in the language asked for; every print is recorded.",
        parameters=[LANGUAGE_PARAMETER],
        responses={(200, "application/pdf"): OpenApiResponse(OpenApiTypes.BINARY), 404: NOT_FOUND},
    )
    def get(self, request: Request, reference: str) -> HttpResponse:
        case, membership, language = summary_case(request, reference)
        return summary_pdf_response(case, language, tiers_allowed(membership, case))
