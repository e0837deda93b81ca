"""The case's assistance in the API: overview at the caller's tiers, needs assessment, plan, referrals and
stays. The same services and selectors as the case page."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from palermo.accounts.active import acting
from palermo.assistance import selectors
from palermo.assistance.api import serializers as s
from palermo.assistance.api.common import CONFLICT, REFUSALS
from palermo.assistance.models import Placement, Referral, ServiceKind
from palermo.assistance.services import placements, plans, referrals
from palermo.cases.web import API_ROLES, visible_case
from palermo.core import api_errors


def referral_data(referral: Referral, tiers: frozenset[int]) -> dict[str, Any]:
    return dict(s.ReferralSerializer(referral, context={"tiers": tiers}).data)


def placement_data(placement: Placement, tiers: frozenset[int]) -> dict[str, Any]:
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


class CaseAssistance(APIView):
    palermo_roles = API_ROLES

    @extend_schema(
        summary="A case's assistance",
        description=(
            "Needs assessment and plan content at T4, referrals and stays at T1 (addresses at T3); fields of "
            "tiers the caller lacks are null. Reading T3/T4 content is audited."
        ),
        responses={200: s.CaseAssistanceSerializer, 404: REFUSALS[404]},
    )
    def get(self, request: Request, reference: str) -> Response:
        case, tiers = visible_case(request, reference)
        _user, membership = acting(request)
        shown = selectors.case_assistance_shown(case, membership, tiers)
        assessment, plan = shown.assessment, shown.plan
        data = {
            "tiers": sorted(tiers),
            "assessment": s.AssessmentSerializer(assessment, context={"tiers": tiers}).data
            if assessment
            else None,
            "plan": plan_data(plan, tiers) if plan else None,
            "referrals": [referral_data(r, tiers) for r in shown.referrals],
            "placements": [placement_data(p, tiers) for p in shown.placements],
        }
        return Response(data)


class AssessmentCreate(APIView):
    palermo_roles = API_ROLES

    @extend_schema(
        summary="Record a needs assessment",
        request=s.AssessmentCreateSerializer,
        responses={201: s.AssessmentSerializer, **REFUSALS},
    )
    def post(self, request: Request, reference: str) -> Response:
        case, tiers = visible_case(request, reference)
        user, membership = acting(request)
        serializer = s.AssessmentCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        assessment = plans.assessment_record(
            actor=user, membership=membership, case=case, **serializer.validated_data
        )
        return Response(
            s.AssessmentSerializer(assessment, context={"tiers": tiers}).data, status=status.HTTP_201_CREATED
        )


class PlanCreate(APIView):
    palermo_roles = API_ROLES

    @extend_schema(
        summary="Draw up the assistance plan",
        description="One active plan per case; the review date becomes a deadline.",
        request=s.PlanCreateSerializer,
        responses={201: s.PlanSerializer, **REFUSALS},
    )
    def post(self, request: Request, reference: str) -> Response:
        case, tiers = visible_case(request, reference)
        user, membership = acting(request)
        serializer = s.PlanCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        data["responsible"] = staff_member(case, data["responsible"])
        plans.plan_create(
            actor=user,
            membership=membership,
            case=case,
            assessment=selectors.latest_assessment(case),
            **data,
        )
        return Response(plan_data(selectors.active_plan(case), tiers), status=status.HTTP_201_CREATED)


class PlanDetail(APIView):
    palermo_roles = API_ROLES

    @extend_schema(
        summary="Review or change the plan",
        description="State the version read; a stale version answers 409 and nothing changes.",
        request=s.PlanUpdateSerializer,
        responses={200: s.PlanSerializer, 409: CONFLICT, **REFUSALS},
    )
    def patch(self, request: Request, reference: str, plan_id: int) -> Response:
        case, tiers = visible_case(request, reference)
        user, membership = acting(request)
        plan = selectors.plan_for(case, plan_id)
        serializer = s.PlanUpdateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        data["responsible"] = staff_member(case, data["responsible"]) or plan.responsible
        with api_errors.shows_current(lambda current: plan_data(selectors.plan_for(case, plan_id), tiers)):
            plans.plan_update(actor=user, membership=membership, plan=plan, **data)
        return Response(plan_data(selectors.plan_for(case, plan_id), tiers))


class PlanServiceCreate(APIView):
    palermo_roles = API_ROLES

    @extend_schema(
        summary="Add a service to the plan",
        request=s.PlanServiceCreateSerializer,
        responses={201: s.PlanServiceSerializer, **REFUSALS},
    )
    def post(self, request: Request, reference: str, plan_id: int) -> Response:
        case, _tiers = visible_case(request, reference)
        user, membership = acting(request)
        plan = selectors.plan_for(case, plan_id)
        serializer = s.PlanServiceCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        responsible = staff_member(case, data["responsible"])
        item = plans.plan_service_add(
            actor=user, membership=membership, plan=plan, kind=data["kind"], responsible=responsible
        )
        return Response(s.PlanServiceSerializer(item).data, status=status.HTTP_201_CREATED)


class PlanServiceChoice(APIView):
    palermo_roles = API_ROLES

    @extend_schema(
        summary="The person's agreement or refusal of a plan service",
        description="Services are voluntary: a refused service is not referred to.",
        request=s.ChoiceSerializer,
        responses={200: s.PlanServiceSerializer, **REFUSALS},
    )
    def post(self, request: Request, reference: str, item_id: int) -> Response:
        case, _tiers = visible_case(request, reference)
        user, membership = acting(request)
        item = selectors.plan_service_for(case, item_id)
        serializer = s.ChoiceSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        item = plans.plan_service_choice(
            actor=user, membership=membership, item=item, choice=serializer.validated_data["choice"]
        )
        return Response(s.PlanServiceSerializer(item).data)


class ReferralCreate(APIView):
    palermo_roles = API_ROLES

    @extend_schema(
        summary="Refer the case to a provider's service",
        description=(
            "Needs a valid consent to referral naming the provider agency (the guardian's, for a child); the "
            "provider receives only the minimal package. Refused with 400 without consent."
        ),
        request=s.ReferralCreateSerializer,
        responses={201: s.ReferralSerializer, **REFUSALS},
    )
    def post(self, request: Request, reference: str) -> Response:
        case, tiers = visible_case(request, reference)
        user, membership = acting(request)
        serializer = s.ReferralCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        service = selectors.services_for_case(case).filter(pk=data["service"]).first()
        if service is None:
            raise ValidationError({"service": "No such active service for this case."})
        referral = referrals.referral_send(
            actor=user,
            membership=membership,
            case=case,
            service=service,
            specific_needs=data["specific_needs"],
        )
        return Response(
            referral_data(selectors.case_referral_for(case, referral.pk), tiers),
            status=status.HTTP_201_CREATED,
        )


class ReferralWithdraw(APIView):
    palermo_roles = API_ROLES

    @extend_schema(
        summary="Withdraw a referral",
        request=s.ExpectedVersionSerializer,
        responses={200: s.ReferralSerializer, 409: CONFLICT, **REFUSALS},
    )
    def post(self, request: Request, reference: str, referral_id: int) -> Response:
        case, tiers = visible_case(request, reference)
        user, membership = acting(request)
        referral = selectors.case_referral_for(case, referral_id)
        serializer = s.ExpectedVersionSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        with api_errors.shows_current(
            lambda current: referral_data(selectors.case_referral_for(case, referral_id), tiers)
        ):
            referrals.referral_withdraw(
                actor=user, membership=membership, referral=referral, **serializer.validated_data
            )
        return Response(referral_data(selectors.case_referral_for(case, referral_id), tiers))


class ReferralFeedback(APIView):
    palermo_roles = API_ROLES

    @extend_schema(
        summary="The person's feedback on a service",
        request=s.FeedbackSerializer,
        responses={200: s.ReferralSerializer, 409: CONFLICT, **REFUSALS},
    )
    def post(self, request: Request, reference: str, referral_id: int) -> Response:
        case, tiers = visible_case(request, reference)
        user, membership = acting(request)
        referral = selectors.case_referral_for(case, referral_id)
        serializer = s.FeedbackSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        with api_errors.shows_current(
            lambda current: referral_data(selectors.case_referral_for(case, referral_id), tiers)
        ):
            referrals.referral_feedback(
                actor=user, membership=membership, referral=referral, **serializer.validated_data
            )
        return Response(referral_data(selectors.case_referral_for(case, referral_id), tiers))


class PlacementCreate(APIView):
    palermo_roles = API_ROLES

    @extend_schema(
        summary="Place in safe accommodation",
        description="Refused with 400 when every place is taken; the address is location (T3).",
        request=s.PlacementCreateSerializer,
        responses={201: s.PlacementSerializer, **REFUSALS},
    )
    def post(self, request: Request, reference: str) -> Response:
        case, tiers = visible_case(request, reference)
        user, membership = acting(request)
        serializer = s.PlacementCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        service = (
            selectors.services_for_case(case)
            .filter(pk=data["service"], kind=ServiceKind.SAFE_ACCOMMODATION)
            .first()
        )
        if service is None:
            raise ValidationError({"service": "No such active accommodation for this case."})
        placement = placements.placement_start(
            actor=user, membership=membership, case=case, service=service, address=data["address"]
        )
        return Response(placement_data(placement, tiers), status=status.HTTP_201_CREATED)


class PlacementEnd(APIView):
    palermo_roles = API_ROLES

    @extend_schema(
        summary="End a stay in safe accommodation",
        request=s.PlacementEndSerializer,
        responses={200: s.PlacementSerializer, 409: CONFLICT, **REFUSALS},
    )
    def post(self, request: Request, reference: str, placement_id: int) -> Response:
        case, tiers = visible_case(request, reference)
        user, membership = acting(request)
        placement = selectors.case_placement_for(case, placement_id)
        serializer = s.PlacementEndSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        with api_errors.shows_current(
            lambda current: placement_data(selectors.case_placement_for(case, placement_id), tiers)
        ):
            ended = placements.placement_end(
                actor=user,
                membership=membership,
                placement=placement,
                reason=serializer.validated_data["reason"],
                expected_version=serializer.validated_data["expected_version"],
            )
        return Response(placement_data(ended, tiers))
