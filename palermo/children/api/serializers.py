"""Serializers of the children API: read-only outputs (narrative null below T4, location null below T3) and
inputs that mirror the services' arguments."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from palermo.access.serializers import TieredModelSerializer
from palermo.accounts.models import Agency, User
from palermo.cases.models import Consent, TemporaryRepresentative
from palermo.children.models import (
    Answer,
    BestInterestKind,
    BestInterestProcedure,
    CareArrangement,
    CareQuality,
    CareReview,
    CareType,
    ChildStatusOutcome,
    ContactMode,
    DecidingBody,
    DurableSolution,
    EscortRole,
    FamilyAssessment,
    FamilyContact,
    FollowUpContact,
    Guardianship,
    GuardianshipEnd,
    LegalStatusDecision,
    RiskConclusion,
    SolutionKind,
    TracingRequest,
    TracingStatus,
)
from palermo.children.services.best_interest import PARTICIPANT_ROLES
from palermo.core.api_answers import AnswerModelSerializer
from palermo.core.api_fields import Pk, text, version
from palermo.core.api_inputs import ChildViewsInput
from palermo.core.api_records import AgencyNamed, user_named
from palermo.core.decisions import CHILD_VIEWS_FIELDS


def agencies() -> Any:
    return Agency.objects.filter(is_active=True)


# --- outputs ----------


class GuardianshipSerializer(user_named("guardian"), AgencyNamed, AnswerModelSerializer):  # type: ignore[misc]
    class Meta:
        model = Guardianship
        fields = [
            "id",
            "guardian",
            "guardian_username",
            "guardian_display_name",
            "agency",
            "agency_name",
            "appointed_at",
            "ended_at",
            "ended_because",
        ]


class GuardianConsentSerializer(TieredModelSerializer):
    """A consent given for the child; the recipient is null when it names a safe house's provider or a health
    service the caller may not read (decision 0020)."""

    class Meta:
        model = Consent
        fields = ["id", "purpose", "recipient_agency", "recipient_country", "given_at", "withdrawn_at"]


class GuardianshipOverviewSerializer(serializers.Serializer):
    current = GuardianshipSerializer(allow_null=True)
    history = GuardianshipSerializer(many=True)
    consents = GuardianConsentSerializer(many=True)


class BestInterestSerializer(TieredModelSerializer):
    participant_roles = serializers.SerializerMethodField()
    # Blank on an assessment, and on a determination that said nothing of a solution.
    recommends = serializers.ChoiceField(choices=SolutionKind.choices, allow_blank=True, read_only=True)

    class Meta:
        model = BestInterestProcedure
        fields = [
            "id",
            "kind",
            "decided_on",
            "participant_roles",
            "participant_agencies",
            "information_considered",
            "options_considered",
            "decision",
            "reasons",
            "recommends",
            *CHILD_VIEWS_FIELDS,
            "agency",
            "recorded_at",
        ]

    def get_participant_roles(self, procedure: BestInterestProcedure) -> list[str]:
        return sorted(role.role for role in procedure.roles.all())


class TracingSerializer(TieredModelSerializer):
    class Meta:
        model = TracingRequest
        fields = [
            "id",
            "requested_on",
            "country",
            "tracing_agency",
            "details",
            "status",
            "result_on",
            "result",
            "agency",
            "version",
        ]


class FamilyContactSerializer(TieredModelSerializer):
    class Meta:
        model = FamilyContact
        fields = ["id", "tracing", "contacted_on", "mode", "summary", "agency"]


class FamilyAssessmentSerializer(TieredModelSerializer):
    favourable = serializers.BooleanField(read_only=True)

    class Meta:
        model = FamilyAssessment
        fields = [
            "id",
            "assessed_on",
            "able",
            "willing",
            "family_involved",
            "favourable",
            "summary",
            "agency",
        ]


class CareReviewSerializer(TieredModelSerializer):
    class Meta:
        model = CareReview
        fields = ["id", "reviewed_on", "quality", "findings", "agency"]


class CareSerializer(TieredModelSerializer):
    reviews = CareReviewSerializer(many=True, read_only=True)

    class Meta:
        model = CareArrangement
        fields = [
            "id",
            "type",
            "provider",
            "starts_on",
            "ended_on",
            "residential_reason",
            "reasons",
            *CHILD_VIEWS_FIELDS,
            "reviews",
            "agency",
            "decided_at",
        ]


class LegalStatusSerializer(TieredModelSerializer):
    class Meta:
        model = LegalStatusDecision
        fields = [
            "id",
            "body",
            "body_name",
            "decided_on",
            "outcome",
            "legal_representative",
            "reasons",
            *CHILD_VIEWS_FIELDS,
            "agency",
            "recorded_at",
        ]


class FollowUpSerializer(TieredModelSerializer):
    class Meta:
        model = FollowUpContact
        fields = ["id", "due_on", "contacted_on", "wellbeing", "agency"]


class SolutionSerializer(TieredModelSerializer):
    followups = FollowUpSerializer(many=True, read_only=True)

    class Meta:
        model = DurableSolution
        fields = [
            "id",
            "kind",
            "country",
            "decided_on",
            "reasons",
            "risk_assessed_on",
            "risk_conclusion",
            "risk_summary",
            "family_assessment",
            "escort_role",
            "escort_name",
            *CHILD_VIEWS_FIELDS,
            "returned_on",
            "followups",
            "agency",
            "decided_at",
            "version",
        ]


# --- inputs ----------


class GuardianAppointInput(serializers.Serializer):
    guardian = Pk(queryset=User.objects.filter(is_active=True))
    agency = Pk(queryset=agencies())


class GuardianEndInput(serializers.Serializer):
    ended_because = serializers.ChoiceField(choices=GuardianshipEnd.choices, source="reason")


class BestInterestInput(ChildViewsInput):
    kind = serializers.ChoiceField(choices=BestInterestKind.choices)
    decided_on = serializers.DateField()
    participant_roles = serializers.ListField(
        child=serializers.ChoiceField(choices=[(r.value, r.label) for r in PARTICIPANT_ROLES]), max_length=20
    )
    participant_agencies = Pk(queryset=agencies(), many=True, required=False)
    information_considered = text()
    options_considered = text()
    decision = text()
    reasons = text()
    recommends = serializers.ChoiceField(choices=SolutionKind.choices, required=False, allow_blank=True)


class TracingInput(serializers.Serializer):
    requested_on = serializers.DateField()
    country = serializers.CharField(max_length=3, required=False, allow_blank=True)
    tracing_agency = Pk(queryset=agencies(), required=False, allow_null=True)
    details = text()


class TracingResultInput(serializers.Serializer):
    # The whole set (one enum in the schema); the service refuses "open" as a result.
    status = serializers.ChoiceField(choices=TracingStatus.choices)
    result_on = serializers.DateField()
    result = text()
    expected_version = version()


class FamilyContactInput(serializers.Serializer):
    contacted_on = serializers.DateField()
    mode = serializers.ChoiceField(choices=ContactMode.choices)
    tracing = Pk(queryset=TracingRequest.objects.all(), required=False, allow_null=True)
    summary = text()


class FamilyAssessmentInput(serializers.Serializer):
    assessed_on = serializers.DateField()
    able = serializers.ChoiceField(choices=Answer.choices)
    willing = serializers.ChoiceField(choices=Answer.choices)
    family_involved = serializers.ChoiceField(choices=Answer.choices)
    summary = text()


class CareInput(ChildViewsInput):
    type = serializers.ChoiceField(choices=CareType.choices)
    starts_on = serializers.DateField()
    provider = Pk(queryset=agencies(), required=False, allow_null=True)
    residential_reason = text(required=False)
    reasons = text()


class CareReviewInput(serializers.Serializer):
    reviewed_on = serializers.DateField()
    quality = serializers.ChoiceField(choices=CareQuality.choices)
    findings = text()


class LegalStatusInput(ChildViewsInput):
    body = serializers.ChoiceField(choices=DecidingBody.choices)
    body_name = serializers.CharField(max_length=200)
    decided_on = serializers.DateField()
    outcome = serializers.ChoiceField(choices=ChildStatusOutcome.choices)
    legal_representative = serializers.CharField(max_length=200)
    reasons = text()


class SolutionInput(ChildViewsInput):
    kind = serializers.ChoiceField(choices=SolutionKind.choices)
    country = serializers.CharField(max_length=3, required=False, allow_blank=True)
    decided_on = serializers.DateField()
    reasons = text()
    risk_assessed_on = serializers.DateField(required=False, allow_null=True)
    risk_conclusion = serializers.ChoiceField(
        choices=RiskConclusion.choices, required=False, allow_blank=True
    )
    risk_summary = text(required=False)
    family_assessment = Pk(queryset=FamilyAssessment.objects.all(), required=False, allow_null=True)
    escort_role = serializers.ChoiceField(choices=EscortRole.choices, required=False, allow_blank=True)
    escort_name = serializers.CharField(max_length=200, required=False, allow_blank=True)


class ReturnInput(serializers.Serializer):
    returned_on = serializers.DateField()
    expected_version = version()


class FollowUpInput(serializers.Serializer):
    contacted_on = serializers.DateField()
    wellbeing = text()


class TemporaryRepresentativeSerializer(TieredModelSerializer):
    class Meta:
        model = TemporaryRepresentative
        fields = ["id", "name", "organisation", "since", "recorded_at", "ended_at"]


class ActingForChildSerializer(serializers.Serializer):
    acting = serializers.ChoiceField(
        choices=[
            ("guardian", "guardian"),
            ("temporary_representative", "temporary_representative"),
            ("no_one", "no_one"),
        ],
        help_text="Who acts for the child now; `no_one`: appoint a guardian.",
    )
    guardian = GuardianshipSerializer(allow_null=True)
    temporary_representative = TemporaryRepresentativeSerializer(allow_null=True)


class TemporaryRepresentativeInput(serializers.Serializer):
    name = serializers.CharField(max_length=200)
    organisation = serializers.CharField(max_length=200)
    since = serializers.DateField()
