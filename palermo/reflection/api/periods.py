"""Reflection periods in the API: read a case's period with its extensions and entitlements, open one on
request, extend it, end it early, and record an entitlement's status; the same services as the screens.

The reasons of extensions and an early end (T2, the migration authority's legal reasons) are given only to
callers allowed T2 on the case, entitlement notes (T4) only to callers allowed T4 (null for others), and that
read is recorded. Every change states the version read; a stale one answers 409 with the period as it is now.
"""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from palermo.access.serializers import TieredModelSerializer
from palermo.accounts.active import acting
from palermo.cases.models import Case
from palermo.cases.web import API_ROLES, BAD_REQUEST, visible_case
from palermo.core import api_errors
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

NOT_FOUND = api_errors.error_response(
    "No such case, not visible to the caller, no reflection period on it, or the caller may not make this "
    "change (the same answer)."
)
STALE = api_errors.error_response("Stale version: `current` holds the period as it is now; nothing changed.")


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
        responses={201: PeriodSerializer, 400: BAD_REQUEST, 404: NOT_FOUND},
    )
    def post(self, request: Request, reference: str) -> Response:
        case, tiers = visible_case(request, reference)
        user, membership = acting(request)
        period_request(actor=user, membership=membership, case=case)
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
            404: NOT_FOUND,
            409: STALE,
        },
    )
    def post(self, request: Request, reference: str) -> Response:
        case, tiers = visible_case(request, reference)
        user, membership = acting(request)
        period = required_period(case)
        serializer = ExtendSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data: dict[str, Any] = serializer.validated_data  # type: ignore[assignment]
        with api_errors.shows_current(lambda current: _period_data(request, case, tiers)):
            period_extend(actor=user, membership=membership, period=period, **data)
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
            404: NOT_FOUND,
            409: STALE,
        },
    )
    def post(self, request: Request, reference: str) -> Response:
        case, tiers = visible_case(request, reference)
        user, membership = acting(request)
        period = required_period(case)
        serializer = EndEarlySerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data: dict[str, Any] = serializer.validated_data  # type: ignore[assignment]
        with api_errors.shows_current(lambda current: _period_data(request, case, tiers)):
            period_end_early(
                actor=user,
                membership=membership,
                period=period,
                on=data.get("on"),
                reason=data["reason"],
                expected_version=data["expected_version"],
            )
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
            404: NOT_FOUND,
            409: STALE,
        },
    )
    def patch(self, request: Request, reference: str, kind: str) -> Response:
        case, tiers = visible_case(request, reference)
        user, membership = acting(request)
        entitlement = entitlement_of(required_period(case), kind)
        serializer = EntitlementUpdateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data: dict[str, Any] = serializer.validated_data  # type: ignore[assignment]
        with api_errors.shows_current(lambda current: _period_data(request, case, tiers)):
            entitlement = entitlement_update(
                actor=user,
                membership=membership,
                entitlement=entitlement,
                status=data["status"],
                on=data.get("on"),
                note=data.get("note"),
                expected_version=data["expected_version"],
            )
        context = {"tiers": tiers}
        return Response(EntitlementSerializer(entitlement, context=context).data)
