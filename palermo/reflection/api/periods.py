"""Reflection periods in the API: read a case's period with its extensions and entitlements, open one on
request, extend it, end it early, and record an entitlement's status; the same services as the screens.

The reasons of extensions and an early end (T2, the migration authority's legal reasons) are given only to
callers allowed T2 on the case, entitlement notes (T4) only to callers allowed T4 (null for others), and that
read is recorded. Every change states the version read; a stale one answers 409 with the period as it is now.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_field
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from palermo.access.serializers import TieredModelSerializer
from palermo.accounts.active import acting
from palermo.cases.api.lifecycle import ErrorSerializer, refused, validation_message
from palermo.cases.models import Case
from palermo.cases.web import API_ROLES, BAD_REQUEST, visible_case
from palermo.core.concurrency import StaleEdit
from palermo.reflection.models import (
    Entitlement,
    EntitlementKind,
    EntitlementStatus,
    OpenedBy,
    ReflectionExtension,
    ReflectionPeriod,
)
from palermo.reflection.selectors import (
    days_left,
    entitlement_of,
    entitlements_shown,
    ordered_entitlements,
    period_shown,
    required_period,
)
from palermo.reflection.services.common import REASON_MAX_LENGTH
from palermo.reflection.services.entitlements import entitlement_update
from palermo.reflection.services.periods import (
    MAX_EXTENSION_DAYS,
    period_end_early,
    period_extend,
    period_request,
)

NOT_FOUND = OpenApiResponse(
    description="No such case, not visible to the caller, or no reflection period on it (the same answer)."
)
FORBIDDEN = OpenApiResponse(ErrorSerializer, description="The caller may not make this change on this case.")


class ExtensionSerializer(TieredModelSerializer):
    agency_name = serializers.CharField(source="agency.name", read_only=True)

    class Meta:
        model = ReflectionExtension
        fields = ["days", "previous_end", "new_end", "reason", "agency", "agency_name", "extended_at"]
        read_only_fields = fields


class EntitlementSerializer(TieredModelSerializer):
    kind = serializers.ChoiceField(choices=EntitlementKind.choices, read_only=True)
    status = serializers.ChoiceField(choices=EntitlementStatus.choices, read_only=True)

    class Meta:
        model = Entitlement
        fields = ["kind", "due_on", "status", "status_on", "note", "version"]
        read_only_fields = fields


class PeriodSerializer(TieredModelSerializer):
    reference = serializers.CharField(source="case.reference", read_only=True)
    opened_by = serializers.ChoiceField(choices=OpenedBy.choices, read_only=True)
    agency_name = serializers.CharField(source="agency.name", read_only=True)
    days_left = serializers.SerializerMethodField()
    extensions = serializers.SerializerMethodField()
    entitlements = serializers.SerializerMethodField()

    class Meta:
        model = ReflectionPeriod
        fields = [
            "reference",
            "opened_by",
            "decision",
            "starts_on",
            "ends_on",
            "days_left",
            "length_days",
            "minimum_days",
            "rulebook",
            "ended_early_on",
            "early_end_reason",
            "agency",
            "agency_name",
            "opened_at",
            "version",
            "extensions",
            "entitlements",
        ]
        read_only_fields = fields

    @extend_schema_field(
        serializers.IntegerField(allow_null=True, help_text="Days after today; null when not running.")
    )
    def get_days_left(self, period: ReflectionPeriod) -> int | None:
        return days_left(period)

    @extend_schema_field(ExtensionSerializer(many=True))
    def get_extensions(self, period: ReflectionPeriod) -> Any:
        return ExtensionSerializer(period.extensions.all(), many=True, context=self.context).data

    @extend_schema_field(EntitlementSerializer(many=True))
    def get_entitlements(self, period: ReflectionPeriod) -> Any:
        return EntitlementSerializer(ordered_entitlements(period), many=True, context=self.context).data


class PeriodConflictSerializer(serializers.Serializer):
    detail = serializers.CharField()
    current = PeriodSerializer()


class ExtendSerializer(serializers.Serializer):
    days = serializers.IntegerField(min_value=1, max_value=MAX_EXTENSION_DAYS)
    reason = serializers.CharField(max_length=REASON_MAX_LENGTH)
    expected_version = serializers.IntegerField(min_value=1, max_value=2**31 - 1)


class EndEarlySerializer(serializers.Serializer):
    on = serializers.DateField(required=False, help_text="The last protected day; default today.")
    reason = serializers.CharField(max_length=REASON_MAX_LENGTH)
    expected_version = serializers.IntegerField(min_value=1, max_value=2**31 - 1)


class EntitlementUpdateSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=EntitlementStatus.choices)
    on = serializers.DateField(required=False, allow_null=True, help_text="Default today; ignored for due.")
    note = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=REASON_MAX_LENGTH,
        help_text="T4; leave out to keep the note as it is.",
    )
    expected_version = serializers.IntegerField(min_value=1, max_value=2**31 - 1)


def _period_data(request: Request, case: Case, tiers: frozenset[int]) -> Any:
    """The period as the caller may see it (reasons with T2, notes with T4, that read recorded)."""
    fresh = required_period(case)  # re-read with its extensions and entitlements as they are now
    _user, membership = acting(request)
    return PeriodSerializer(period_shown(membership, fresh, tiers), context={"tiers": tiers}).data


def _conflict(request: Request, case: Case, tiers: frozenset[int]) -> Response:
    data = {
        "detail": "The record was changed since that version was read; nothing was saved.",
        "current": _period_data(request, case, tiers),
    }
    return Response(data, status=status.HTTP_409_CONFLICT)


class PeriodDetail(APIView):
    palermo_roles = API_ROLES

    @extend_schema(
        summary="The case's reflection period",
        description=(
            "Dates, length, extensions and entitlements. Reasons only with T2 access, entitlement notes only "
            "with T4 access."
        ),
        responses={200: PeriodSerializer, 404: NOT_FOUND},
    )
    def get(self, request: Request, reference: str) -> Response:
        case, tiers = visible_case(request, reference)
        return Response(_period_data(request, case, tiers))

    @extend_schema(
        summary="Open the reflection period on request",
        description=(
            "Before a presumed victim decision, someone on the case team (first responder, case manager, "
            "identification authority, migration officer) opens the period for the rulebook's length. A case "
            "still in identification moves to the reflection phase when the opener may move it."
        ),
        request=None,
        responses={201: PeriodSerializer, 400: BAD_REQUEST, 403: FORBIDDEN, 404: NOT_FOUND},
    )
    def post(self, request: Request, reference: str) -> Response:
        case, tiers = visible_case(request, reference)
        user, membership = acting(request)
        try:
            period_request(actor=user, membership=membership, case=case)
        except ValidationError as error:
            return refused(validation_message(error))
        return Response(_period_data(request, case, tiers), status=status.HTTP_201_CREATED)


class PeriodExtend(APIView):
    palermo_roles = API_ROLES

    @extend_schema(
        summary="Extend the reflection period",
        description="Add days to a running period, with the reason (T2), where the rulebook allows it.",
        request=ExtendSerializer,
        responses={
            200: PeriodSerializer,
            400: BAD_REQUEST,
            403: FORBIDDEN,
            404: NOT_FOUND,
            409: PeriodConflictSerializer,
        },
    )
    def post(self, request: Request, reference: str) -> Response:
        case, tiers = visible_case(request, reference)
        user, membership = acting(request)
        period = required_period(case)
        serializer = ExtendSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data: dict[str, Any] = serializer.validated_data  # type: ignore[assignment]
        try:
            period_extend(actor=user, membership=membership, period=period, **data)
        except StaleEdit:
            return _conflict(request, case, tiers)
        except ValidationError as error:
            return refused(validation_message(error))
        return Response(_period_data(request, case, tiers))


class PeriodEndEarly(APIView):
    palermo_roles = API_ROLES

    @extend_schema(
        summary="End the reflection period early",
        description="From today or a later day within the period, with the reason (T2).",
        request=EndEarlySerializer,
        responses={
            200: PeriodSerializer,
            400: BAD_REQUEST,
            403: FORBIDDEN,
            404: NOT_FOUND,
            409: PeriodConflictSerializer,
        },
    )
    def post(self, request: Request, reference: str) -> Response:
        case, tiers = visible_case(request, reference)
        user, membership = acting(request)
        period = required_period(case)
        serializer = EndEarlySerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data: dict[str, Any] = serializer.validated_data  # type: ignore[assignment]
        try:
            period_end_early(
                actor=user,
                membership=membership,
                period=period,
                on=data.get("on"),
                reason=data["reason"],
                expected_version=data["expected_version"],
            )
        except StaleEdit:
            return _conflict(request, case, tiers)
        except ValidationError as error:
            return refused(validation_message(error))
        return Response(_period_data(request, case, tiers))


class EntitlementList(APIView):
    palermo_roles = API_ROLES

    @extend_schema(
        summary="The period's entitlements",
        description="Each with its due date and status; notes only with T4 access.",
        responses={200: EntitlementSerializer(many=True), 404: NOT_FOUND},
    )
    def get(self, request: Request, reference: str) -> Response:
        case, tiers = visible_case(request, reference)
        _user, membership = acting(request)
        items = entitlements_shown(membership, required_period(case), tiers)
        return Response(EntitlementSerializer(items, many=True, context={"tiers": tiers}).data)


class EntitlementDetail(APIView):
    palermo_roles = API_ROLES

    @extend_schema(
        summary="Record an entitlement's status",
        description=(
            "Provided, declined by the person, not needed (with the day), or due again. A note is T4 and "
            "needs T4 write access; without one the note stays as it was."
        ),
        request=EntitlementUpdateSerializer,
        responses={
            200: EntitlementSerializer,
            400: BAD_REQUEST,
            403: FORBIDDEN,
            404: NOT_FOUND,
            409: PeriodConflictSerializer,
        },
    )
    def patch(self, request: Request, reference: str, kind: str) -> Response:
        case, tiers = visible_case(request, reference)
        user, membership = acting(request)
        entitlement = entitlement_of(required_period(case), kind)
        serializer = EntitlementUpdateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data: dict[str, Any] = serializer.validated_data  # type: ignore[assignment]
        try:
            entitlement = entitlement_update(
                actor=user,
                membership=membership,
                entitlement=entitlement,
                status=data["status"],
                on=data.get("on"),
                note=data.get("note"),
                expected_version=data["expected_version"],
            )
        except StaleEdit:
            return _conflict(request, case, tiers)
        except ValidationError as error:
            return refused(validation_message(error))
        context = {"tiers": tiers}
        return Response(EntitlementSerializer(entitlement, context=context).data)
