"""Consent in the API: list (T1), record and withdraw (with write access to identity, T2), and the check other
systems make before they act (`consent_valid`)."""

from __future__ import annotations

from typing import Any

from django.http import Http404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from palermo.access.closure import OnClosedCase
from palermo.access.serializers import TieredModelSerializer, WithheldField
from palermo.accounts.models import Agency
from palermo.accounts.proxies import agency_proxy_tier
from palermo.cases.api.cases import BAD_REQUEST
from palermo.cases.api.intake import MAX_ID
from palermo.cases.endpoints import CaseAction, Reading
from palermo.cases.models import Case, Consent, ConsentGiver, ConsentPurpose
from palermo.cases.selectors import case_consent_for, case_consents, consent_valid
from palermo.cases.services.consent import (
    MAX_CHILD_VIEWS,
    MAX_SERVICE_NAME,
    MAX_WITHDRAWAL_NOTE,
    consent_record,
    consent_withdraw,
)
from palermo.cases.web import API_ROLES, visible_case
from palermo.core import api_errors, iso

NOT_FOUND = api_errors.error_response(
    "No such case or consent, not visible to the caller, or the caller may not record consent on it."
)


class ConsentSerializer(TieredModelSerializer):
    """A consent (T1); its withdrawal note is T2: null for a caller who may not read T2 on the case. Its
    recipient is null for a caller without T3 when it names a safe house's provider and without T4 when it
    names a health service (`recipient_withheld` says which; decision 0020)."""

    recipient_agency_name = serializers.CharField(
        source="recipient_agency.name", allow_null=True, read_only=True
    )
    recipient_withheld = WithheldField("recipient_agency")
    valid = serializers.SerializerMethodField(help_text="False once withdrawn.")

    class Meta:
        model = Consent
        fields = [
            "id",
            "purpose",
            "recipient_agency",
            "recipient_agency_name",
            "recipient_service",
            "recipient_withheld",
            "recipient_country",
            "given_by",
            "language",
            "given_at",
            "recorded_by",
            "withdrawn_at",
            "withdrawn_by",
            "withdrawal_note",
            "valid",
        ]

    def get_valid(self, consent: Consent) -> bool:
        return consent.withdrawn_at is None


class ConsentCreateSerializer(serializers.Serializer):
    purpose = serializers.ChoiceField(choices=ConsentPurpose.choices)
    given_by = serializers.ChoiceField(
        choices=ConsentGiver.choices,
        help_text=(
            "For a child's case, the guardian or legal representative, or until one is appointed the "
            "temporary representative recorded on the case (`temporary`, with the child's views)."
        ),
    )
    language = serializers.ChoiceField(choices=iso.language_choices(), help_text="ISO 639-2.")
    given_at = serializers.DateTimeField(required=False, help_text="Default: now. Never in the future.")
    recipient_agency = serializers.PrimaryKeyRelatedField(
        queryset=Agency.objects.filter(is_active=True), required=False, allow_null=True
    )
    recipient_service = serializers.CharField(required=False, allow_blank=True, max_length=MAX_SERVICE_NAME)
    recipient_country = serializers.ChoiceField(
        choices=iso.country_choices(), required=False, allow_blank=True
    )
    child_views = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=MAX_CHILD_VIEWS,
        help_text="A child's case: the child's own views (required from a temporary representative).",
    )
    child_not_heard_reason = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=MAX_CHILD_VIEWS,
        help_text="Or why the child was not heard.",
    )


class WithdrawSerializer(serializers.Serializer):
    note = serializers.CharField(required=False, allow_blank=True, max_length=MAX_WITHDRAWAL_NOTE)


class ValidQuerySerializer(serializers.Serializer):
    purpose = serializers.ChoiceField(choices=ConsentPurpose.choices)
    recipient_agency = serializers.IntegerField(required=False, min_value=1, max_value=MAX_ID)


class ValidSerializer(serializers.Serializer):
    valid = serializers.BooleanField()


class ConsentList(CaseAction):
    summary = "Record a consent"
    description = (
        "For a purpose: referral (name the service or the agency), sharing (the agency), transnational "
        "transfer (the country), statistics. For a child's case, given by the guardian."
    )
    input = ConsentCreateSerializer
    output = ConsentSerializer
    refusals = {400: BAD_REQUEST, 404: NOT_FOUND}
    created = True
    reading = Reading(
        "Consents on a case",
        ConsentSerializer(many=True),
        "Every consent, withdrawn ones included, newest first.",
    )
    service = consent_record

    def read(self, case: Case, tiers: frozenset[int], **ids: Any) -> Any:
        return ConsentSerializer(case_consents(case), many=True, context={"tiers": tiers}).data


class ConsentWithdraw(CaseAction):
    palermo_on_closed_case = OnClosedCase.WITHDRAW_CONSENT
    summary = "Withdraw a consent"
    description = "The record stays, with who withdrew it, when and a note; it no longer counts."
    input = WithdrawSerializer
    output = ConsentSerializer
    refusals = {400: BAD_REQUEST, 404: NOT_FOUND}
    service = consent_withdraw
    acts_on = "consent"

    def target(self, case: Case, **ids: Any) -> Any:
        return case_consent_for(case, ids["consent_id"])


def consent_check_allowed(agency: Agency | int | None, tiers: frozenset[int]) -> bool:
    """Whether the caller may ask about a consent naming this agency: a yes or no about a safe house's
    provider (or a health service) says as much as its name."""
    if agency is None:
        return True
    if isinstance(agency, int):
        agency = Agency.objects.filter(pk=agency).first()
        if agency is None:
            return True
    return agency_proxy_tier(agency.pk, agency.type) in tiers


class ConsentCheck(APIView):
    palermo_roles = API_ROLES

    @extend_schema(
        summary="Is there a valid consent?",
        description=(
            "Whether the case holds an unwithdrawn consent for the purpose (and, if given, naming the "
            "agency); on a child's case only the guardian's counts. Check before acting on a consent. Asking "
            "about a provider of safe accommodation needs T3 on the case, about a health service T4 (else "
            "404, whatever the answer would be)."
        ),
        parameters=[
            OpenApiParameter("purpose", str, enum=list(ConsentPurpose.values), required=True),
            OpenApiParameter("recipient_agency", int, required=False),
        ],
        responses={200: ValidSerializer, 400: BAD_REQUEST, 404: NOT_FOUND},
    )
    def get(self, request: Request, reference: str) -> Response:
        case, tiers = visible_case(request, reference)
        query = ValidQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        if not consent_check_allowed(query.validated_data.get("recipient_agency"), tiers):
            raise Http404  # asking about a safe house's or a health provider: only with that tier
        valid = consent_valid(
            case, query.validated_data["purpose"], query.validated_data.get("recipient_agency")
        )
        return Response({"valid": valid})
