"""Decisions through the API: a case's decisions and what is due (T1; grounds and reasons only to those who
may read T4, on the record), the authority's decisions and reviews, and its list of cases awaiting one."""

from __future__ import annotations

from typing import Any

from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.generics import ListAPIView
from rest_framework.pagination import PageNumberPagination
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from palermo.access.policy import can_read
from palermo.access.selectors import case_for
from palermo.access.tiers import Tier
from palermo.accounts.models import Membership
from palermo.cases.models import Case
from palermo.identification.api.common import (
    MAX_ID,
    NOT_FOUND,
    ProblemsSerializer,
    api_acting,
    as_api_errors,
)
from palermo.identification.models import (
    DecisionKind,
    DecisionOutcome,
    DecisionProcedure,
    Ground,
    IdentificationDecision,
    ScreeningStatus,
)
from palermo.identification.roles import DECIDERS, DECISION_READERS
from palermo.identification.selectors import (
    awaiting_due_at,
    cases_awaiting_decision,
    decision_case,
    decision_on,
    decisions_of,
    pending_decisions,
    screenings_of,
    standing_decisions,
)
from palermo.identification.services.decisions import (
    REASONS_MAX_LENGTH,
    DecisionInput,
    decision_review,
    decision_take,
)


class DecisionSerializer(serializers.ModelSerializer):
    """`grounds` and `reasons` are null for a caller who may not read narrative (T4) data on the case."""

    kind = serializers.CharField(read_only=True, help_text="presumed or identified")
    decided_by_username = serializers.CharField(source="decided_by.username", read_only=True)
    agency_name = serializers.CharField(source="agency.name", read_only=True)
    stands = serializers.SerializerMethodField()
    grounds = serializers.SerializerMethodField()
    reasons = serializers.SerializerMethodField()

    class Meta:
        model = IdentificationDecision
        fields = [
            "id",
            "kind",
            "procedure",
            "reviews",
            "outcome",
            "stands",
            "decided_at",
            "due_at",
            "deadline_days",
            "deadline_day_kind",
            "rulebook",
            "decided_by",
            "decided_by_username",
            "agency",
            "agency_name",
            "screening",
            "grounds",
            "reasons",
        ]
        read_only_fields = fields

    def get_stands(self, decision: IdentificationDecision) -> bool:
        return decision.pk in self.context.get("standing_ids", ())

    def get_grounds(self, decision: IdentificationDecision) -> list[str] | None:
        return list(decision.grounds) if self.context.get("show_reasons") else None

    def get_reasons(self, decision: IdentificationDecision) -> str | None:
        return decision.reasons if self.context.get("show_reasons") else None


class PendingSerializer(serializers.Serializer):
    kind = serializers.CharField()
    due_at = serializers.DateTimeField()
    overdue = serializers.BooleanField()


class CaseDecisionsSerializer(serializers.Serializer):
    pending = PendingSerializer(many=True)
    decisions = DecisionSerializer(many=True)


class DecisionInSerializer(serializers.Serializer):
    outcome = serializers.ChoiceField(choices=DecisionOutcome.choices)
    grounds = serializers.ListField(
        child=serializers.CharField(max_length=60),
        min_length=1,
        max_length=20,
        help_text=f"Any of: {', '.join(Ground.values)}. Cooperation with the authorities is never a ground.",
    )
    reasons = serializers.CharField(
        max_length=REASONS_MAX_LENGTH, help_text="Refused when it makes the decision depend on cooperation."
    )


class DecisionTakeSerializer(DecisionInSerializer):
    kind = serializers.CharField(
        max_length=20, help_text="presumed (reasonable grounds) or identified (conclusive grounds)"
    )
    screening = serializers.IntegerField(
        required=False, min_value=1, max_value=MAX_ID, help_text="A completed screening of this case."
    )

    def validate_kind(self, value: str) -> str:
        if value not in DecisionKind.values:
            raise serializers.ValidationError("The decision is presumed or identified.")
        return value


class ReviewSerializer(DecisionInSerializer):
    procedure = serializers.ChoiceField(
        choices=[c for c in DecisionProcedure.choices if c[0] != DecisionProcedure.FIRST]
    )


def _shows_reasons(membership: Membership, case: Case) -> bool:
    if not can_read(membership, case, Tier.NARRATIVE):
        return False
    case_for(membership, case.reference, Tier.NARRATIVE, reason="decision reasons")
    return True


def _case_document(membership: Membership, case: Case) -> dict[str, Any]:
    decisions = list(decisions_of(case))
    context = {
        "show_reasons": _shows_reasons(membership, case),
        "standing_ids": {d.pk for d in standing_decisions(decisions).values()},
    }
    pending = [
        {"kind": p.kind, "due_at": p.due_at, "overdue": p.overdue} for p in pending_decisions(case, decisions)
    ]
    return {"pending": pending, "decisions": DecisionSerializer(decisions, many=True, context=context).data}


def _decider(request: Request, reference: str) -> tuple[Any, Membership, Case]:
    user, membership = api_acting(request)
    if membership.role not in DECIDERS:
        raise Http404
    return user, membership, decision_case(membership, reference)


class CaseDecisions(APIView):
    palermo_roles = DECISION_READERS

    @extend_schema(
        summary="Decisions on a case",
        description="Every decision (newest first), which stands, and what is due by when.",
        responses={200: CaseDecisionsSerializer, 404: NOT_FOUND},
    )
    def get(self, request: Request, reference: str) -> Response:
        _user, membership = api_acting(request)
        case = decision_case(membership, reference)
        return Response(_case_document(membership, case))

    @extend_schema(
        summary="Take a presumed or identified victim decision",
        description="Identification authority only. A positive presumed victim decision starts reflection.",
        request=DecisionTakeSerializer,
        responses={201: CaseDecisionsSerializer, 400: ProblemsSerializer, 404: NOT_FOUND},
    )
    def post(self, request: Request, reference: str) -> Response:
        user, membership, case = _decider(request, reference)
        payload = DecisionTakeSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        screening = None
        if "screening" in data:
            screening = (
                screenings_of(case).filter(pk=data["screening"], status=ScreeningStatus.COMPLETE).first()
            )
            if screening is None:
                raise serializers.ValidationError(
                    {"screening": "No completed screening of this case has that id."}
                )
        with as_api_errors():
            decision_take(
                actor=user,
                membership=membership,
                case=case,
                kind=data["kind"],
                data=DecisionInput(data["outcome"], data["grounds"], data["reasons"], screening),
            )
        return Response(_case_document(membership, case), status=status.HTTP_201_CREATED)


class DecisionReview(APIView):
    palermo_roles = DECIDERS

    @extend_schema(
        summary="Reconsider or appeal the decision that stands",
        request=ReviewSerializer,
        responses={201: CaseDecisionsSerializer, 400: ProblemsSerializer, 404: NOT_FOUND},
    )
    def post(self, request: Request, reference: str, decision_id: int) -> Response:
        user, membership, case = _decider(request, reference)
        original = decision_on(case, decision_id)
        payload = ReviewSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        with as_api_errors():
            decision_review(
                actor=user,
                membership=membership,
                original=original,
                procedure=data["procedure"],
                data=DecisionInput(data["outcome"], data["grounds"], data["reasons"]),
            )
        return Response(_case_document(membership, case), status=status.HTTP_201_CREATED)


class AwaitingSerializer(serializers.Serializer):
    reference = serializers.CharField()
    opened_at = serializers.DateTimeField()
    awaiting = serializers.CharField()
    due_at = serializers.DateTimeField()
    overdue = serializers.BooleanField()


class AwaitingPagination(PageNumberPagination):
    page_size = 50


@extend_schema(
    summary="Cases awaiting a decision",
    description="Open cases the authority may see with no presumed victim decision yet, or a positive one "
    "and no identified victim decision; oldest referral first, with the deadline.",
)
class AwaitingList(ListAPIView):
    palermo_roles = DECIDERS
    serializer_class = AwaitingSerializer
    pagination_class = AwaitingPagination

    def get_queryset(self) -> Any:
        if getattr(self, "swagger_fake_view", False):
            return Case.objects.none()
        _user, membership = api_acting(self.request)
        return cases_awaiting_decision(membership)

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        page = self.paginate_queryset(self.get_queryset()) or []
        rows = []
        for case in page:
            pending = awaiting_due_at(case)
            rows.append(
                {
                    "reference": case.reference,
                    "opened_at": case.opened_at,
                    "awaiting": pending.kind,
                    "due_at": pending.due_at,
                    "overdue": pending.overdue,
                }
            )
        return self.get_paginated_response(AwaitingSerializer(rows, many=True).data)
