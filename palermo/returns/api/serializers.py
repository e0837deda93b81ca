"""Serializers of the returns API: read-only outputs (location null below T3, narrative below T4, what a
received package carried below T2) and inputs that mirror the services' arguments."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from palermo.access.serializers import TieredModelSerializer
from palermo.accounts.models import Agency
from palermo.children.models import EscortRole
from palermo.core.api_answers import AnswerModelSerializer
from palermo.core.api_fields import Pk, text, version
from palermo.core.api_inputs import ChildViewsInput
from palermo.core.decisions import CHILD_VIEWS_FIELDS
from palermo.origin.models import Partner
from palermo.returns.models import (
    PackagePurpose,
    PartnerConclusion,
    PartnerKey,
    Resettlement,
    ResettlementChannel,
    ResettlementGround,
    ResettlementStatus,
    ResettlementStep,
    ResettlementStepKind,
    ReturnFollowUp,
    TransnationalPackage,
    VoluntaryReturn,
)
from palermo.returns.services.packages import received_fields

# --- outputs ----------


class ReturnFollowUpSerializer(TieredModelSerializer):
    class Meta:
        model = ReturnFollowUp
        fields = ["id", "due_on", "contacted_on", "situation", "agency"]


class ReturnSerializer(TieredModelSerializer):
    followups = ReturnFollowUpSerializer(many=True, read_only=True)

    class Meta:
        model = VoluntaryReturn
        fields = [
            "id",
            "status",
            "country",
            "requested_on",
            "request_language",
            "informed_on",
            "request",
            "partner",
            "partner_assessed_on",
            "partner_conclusion",
            "partner_assessment",
            "travel_on",
            "travel_plan",
            "reception",
            "housing",
            "income",
            "medical",
            "education",
            "legal",
            "escort_role",
            "escort_name",
            "guardian_view",
            *CHILD_VIEWS_FIELDS,
            "returned_on",
            "withdrawn_on",
            "closed_on",
            "agency",
            "version",
            "followups",
        ]


class ResettlementStepSerializer(TieredModelSerializer):
    class Meta:
        model = ResettlementStep
        fields = ["id", "kind", "on", "note", "agency"]


class ResettlementSerializer(TieredModelSerializer):
    steps = ResettlementStepSerializer(many=True, read_only=True)

    class Meta:
        model = Resettlement
        fields = [
            "id",
            "status",
            "ground",
            "grounds",
            "receiving_country",
            "channel",
            "programme",
            "started_on",
            "outcome_on",
            "agency",
            "version",
            "steps",
        ]


class PartnerShown(serializers.Serializer):
    # The partner abroad a package or a key is for, by name and country beside its id. (No docstring: the
    # schema would show it as the description of each serializer built on it.)

    partner_name = serializers.CharField(source="partner.name", read_only=True)
    partner_country = serializers.CharField(source="partner.country", read_only=True)


class SentPackageSerializer(PartnerShown, AnswerModelSerializer):
    class Meta:
        model = TransnationalPackage
        fields = [
            "id",
            "package_id",
            "partner",
            "partner_name",
            "partner_country",
            "purpose",
            "field_names",
            "at",
            "status",
            "attempts",
            "next_attempt_at",
            "delivered_at",
            "receipt",
            "outcome",
            "token",
        ]


class InboxReceiptSerializer(serializers.Serializer):
    package_id = serializers.UUIDField()
    received_at = serializers.DateTimeField()
    receipt = serializers.CharField(help_text="SHA-256 (hex) of the package as received.")


class ReceivedPackageSerializer(PartnerShown, TieredModelSerializer):
    fingerprint = serializers.CharField(source="key.fingerprint", read_only=True)
    case_reference = serializers.CharField(source="case.reference", read_only=True, allow_null=True)
    carried = serializers.SerializerMethodField(help_text="HTCDS field name -> value; null below T2.")

    class Meta:
        model = TransnationalPackage
        fields = [
            "id",
            "package_id",
            "status",
            "partner",
            "partner_name",
            "partner_country",
            "fingerprint",
            "purpose",
            "field_names",
            "at",
            "case_reference",
            "carried",
        ]

    def get_carried(self, package: Any) -> dict[str, Any] | None:
        record = getattr(package, "record", package)
        if 2 not in self.context.get("tiers", ()):
            return None
        return received_fields(record)


class PartnerKeySerializer(PartnerShown, AnswerModelSerializer):
    class Meta:
        model = PartnerKey
        fields = [
            "id",
            "partner",
            "partner_name",
            "partner_country",
            "fingerprint",
            "public_keys",
            "inbox_url",
            "receiving_agency",
            "registered_at",
            "revoked_at",
        ]


class OwnKeysSerializer(serializers.Serializer):
    public_keys = serializers.CharField(help_text="This system's public JWK set, to give partners.")
    fingerprint = serializers.CharField(help_text="To read out to partners by another channel.")


# --- inputs ----------


class ReturnRequestInput(serializers.Serializer):
    country = serializers.CharField(max_length=3)
    requested_on = serializers.DateField()
    request_language = serializers.CharField(max_length=3)
    informed_on = serializers.DateField()
    request = text()


class PartnerAssessInput(serializers.Serializer):
    partner = Pk(queryset=Partner.objects.all())
    assessed_on = serializers.DateField()
    conclusion = serializers.ChoiceField(choices=PartnerConclusion.choices)
    assessment = text()
    expected_version = version()


class ReturnPlanInput(serializers.Serializer):
    travel_on = serializers.DateField(required=False, allow_null=True, default=None)
    travel_plan = text(required=False)
    reception = text(required=False)
    housing = text(required=False)
    income = text(required=False)
    medical = text(required=False)
    education = text(required=False)
    legal = text(required=False)
    escort_role = serializers.ChoiceField(choices=EscortRole.choices, required=False, allow_blank=True)
    escort_name = serializers.CharField(max_length=200, required=False, allow_blank=True)
    expected_version = version()


class ReturnViewsInput(ChildViewsInput):
    guardian_view = text()
    expected_version = version()


class ReturnVersionInput(serializers.Serializer):
    expected_version = version()


class ReturnArrivedInput(ReturnVersionInput):
    returned_on = serializers.DateField()


class ReturnWithdrawInput(ReturnVersionInput):
    withdrawn_on = serializers.DateField()


class ReturnCloseInput(ReturnVersionInput):
    closed_on = serializers.DateField()


class ReturnFollowUpInput(serializers.Serializer):
    contacted_on = serializers.DateField()
    situation = text()


class ResettlementInput(serializers.Serializer):
    ground = serializers.ChoiceField(choices=ResettlementGround.choices)
    grounds = text()
    receiving_country = serializers.CharField(max_length=3)
    channel = serializers.ChoiceField(choices=ResettlementChannel.choices)
    programme = serializers.CharField(max_length=200, required=False, allow_blank=True)
    started_on = serializers.DateField()


class ResettlementStepInput(serializers.Serializer):
    kind = serializers.ChoiceField(choices=ResettlementStepKind.choices)
    on = serializers.DateField()
    note = text(required=False)


class ResettlementMoveInput(ReturnVersionInput):
    status = serializers.ChoiceField(choices=ResettlementStatus.choices)
    on = serializers.DateField()


class PackageSendInput(serializers.Serializer):
    partner = Pk(queryset=Partner.objects.all())
    purpose = serializers.ChoiceField(choices=PackagePurpose.choices)


class PackageReceiveInput(serializers.Serializer):
    token = serializers.CharField(max_length=200_000, help_text="The package: a compact JWE (five parts).")


class PackageAcceptInput(serializers.Serializer):
    identification_agency = Pk(queryset=Agency.objects.filter(is_active=True))


class PartnerKeyInput(serializers.Serializer):
    partner = Pk(queryset=Partner.objects.filter(is_active=True))
    public_keys = serializers.CharField(max_length=20_000)
    fingerprint = serializers.CharField(max_length=100)
    inbox_url = serializers.CharField(
        max_length=500,
        required=False,
        allow_blank=True,
        help_text="Where packages for the partner are POSTed.",
    )
    receiving_agency = Pk(
        queryset=Agency.objects.filter(is_active=True),
        required=False,
        allow_null=True,
        help_text="The agency here that receives the packages the partner POSTs to our inbox.",
    )
