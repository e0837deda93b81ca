"""Serializers of the assistance API. Case-side serializers are tiered: a T3 or T4 field is null for a caller
without that tier (`palermo.access.serializers`)."""

from __future__ import annotations

from rest_framework import serializers

from palermo.access.serializers import TieredModelSerializer, WithheldField
from palermo.assistance.models import (
    AssistancePlan,
    DeclineReason,
    NeedsAssessment,
    PersonChoice,
    Placement,
    PlacementEnd,
    PlanService,
    ProviderService,
    Referral,
    ServiceKind,
)
from palermo.assistance.services.directory import SERVES
from palermo.assistance.services.plans import MAX_TEXT
from palermo.assistance.services.referrals import MAX_TEXT as MAX_REFERRAL_TEXT
from palermo.cases.dates import DateKind
from palermo.core.api_answers import AnswerModelSerializer
from palermo.core.api_fields import version
from palermo.core.api_records import AgencyNamed, related_values

ID = serializers.IntegerField(min_value=1, max_value=2**31 - 1)


class ServiceSerializer(AgencyNamed, AnswerModelSerializer):
    languages = serializers.SerializerMethodField()
    regions = serializers.SerializerMethodField()
    free_places = serializers.IntegerField(read_only=True, allow_null=True)
    htcds_type = serializers.CharField(read_only=True)

    class Meta:
        model = ProviderService
        fields = [
            "id",
            "agency",
            "agency_name",
            "kind",
            "htcds_type",
            "name",
            "description",
            "contact",
            "languages",
            "regions",
            *SERVES,
            "capacity",
            "free_places",
            "is_active",
            "version",
        ]

    get_languages = related_values("languages", "language")
    get_regions = related_values("regions", "region")


class ServiceWriteSerializer(serializers.Serializer):
    agency = serializers.IntegerField(
        required=False,
        min_value=1,
        max_value=2**31 - 1,
        help_text="Administrators only; default: own agency.",
    )
    kind = serializers.ChoiceField(choices=ServiceKind.choices)
    name = serializers.CharField(max_length=200)
    description = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")
    contact = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    languages = serializers.ListField(child=serializers.CharField(max_length=3), max_length=40, default=list)
    regions = serializers.ListField(child=serializers.CharField(max_length=100), max_length=30, default=list)
    serves_women = serializers.BooleanField(default=True)
    serves_men = serializers.BooleanField(default=True)
    serves_other_genders = serializers.BooleanField(default=True)
    serves_adults = serializers.BooleanField(default=True)
    serves_children = serializers.BooleanField(default=False)
    capacity = serializers.IntegerField(
        min_value=0, max_value=100000, required=False, allow_null=True, default=None
    )
    is_active = serializers.BooleanField(default=True)


class ServiceUpdateSerializer(ServiceWriteSerializer):
    expected_version = version()


class NeedSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=ServiceKind.choices)
    urgent = serializers.BooleanField()


class AssessmentSerializer(TieredModelSerializer):
    needs = NeedSerializer(many=True, read_only=True)

    class Meta:
        model = NeedsAssessment
        fields = ["id", "assessed_at", "assessed_by", "summary", "needs"]


class AssessmentCreateSerializer(serializers.Serializer):
    needs = serializers.ListField(
        child=serializers.ChoiceField(choices=ServiceKind.choices), min_length=1, max_length=12
    )
    urgent = serializers.ListField(
        child=serializers.ChoiceField(choices=ServiceKind.choices), max_length=12, default=list
    )
    summary = serializers.CharField(max_length=MAX_TEXT, required=False, allow_blank=True, default="")


class PlanServiceSerializer(TieredModelSerializer):
    """A service of the plan; a health kind (medical or psycho-social care) is null without T4."""

    kind_withheld = WithheldField("kind")

    class Meta:
        model = PlanService
        fields = ["id", "kind", "kind_withheld", "responsible", "choice", "choice_recorded_at"]


class PlanSerializer(TieredModelSerializer):
    """The plan; goals, actions and the person's view are empty for a caller without narrative (T4)."""

    services = PlanServiceSerializer(many=True, read_only=True)

    class Meta:
        model = AssistancePlan
        fields = [
            "id",
            "status",
            "goals",
            "actions",
            "person_view",
            "responsible",
            "review_on",
            "planned_end",
            "services",
            "version",
        ]


def _responsible() -> serializers.IntegerField:
    return serializers.IntegerField(
        min_value=1,
        max_value=2**31 - 1,
        required=False,
        allow_null=True,
        default=None,
        help_text="A user on the case team; default: the caller (a plan) or nobody (a plan's service).",
    )


class _PlanContent(serializers.Serializer):
    # What a plan says, as drawn up or changed.
    goals = serializers.CharField(max_length=MAX_TEXT)
    actions = serializers.CharField(max_length=MAX_TEXT, required=False, allow_blank=True, default="")
    person_view = serializers.CharField(max_length=MAX_TEXT, required=False, allow_blank=True, default="")
    review_on = serializers.DateField()
    planned_end = serializers.DateField(required=False, allow_null=True, default=None)


class PlanCreateSerializer(_PlanContent):
    services = serializers.ListField(
        child=serializers.ChoiceField(choices=ServiceKind.choices), max_length=12, default=list
    )
    responsible = _responsible()


class PlanUpdateSerializer(_PlanContent):
    expected_version = version()
    responsible = _responsible()


class PlanServiceCreateSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=ServiceKind.choices)
    responsible = _responsible()


class ChoiceSerializer(serializers.Serializer):
    choice = serializers.ChoiceField(choices=[PersonChoice.AGREED, PersonChoice.REFUSED])


class ReferredService(serializers.Serializer):
    # A mixin of the referral serializers: the service referred to by kind and name, beside its id.
    service_kind = serializers.CharField(source="service.kind", read_only=True)
    service_name = serializers.CharField(source="service.name", read_only=True)


REFERRAL_HEAD = ["id", "service", "service_kind", "service_name"]


class ReferralSerializer(ReferredService, TieredModelSerializer):
    """A referral as the case team sees it; narrative fields empty without T4; which service and provider
    null without T3 for a safe accommodation and without T4 for a health service (`service_withheld` says
    which)."""

    service_withheld = WithheldField("service")
    provider_name = serializers.CharField(source="provider.name", read_only=True)

    class Meta:
        model = Referral
        fields = [
            *REFERRAL_HEAD,
            "service_withheld",
            "provider",
            "provider_name",
            "status",
            "sent_at",
            "responded_at",
            "decline_reason",
            "response_note",
            "appointment_at",
            "service_given",
            "closed_at",
            "specific_needs",
            "feedback_rating",
            "feedback_note",
            "version",
        ]


class ReferralCreateSerializer(serializers.Serializer):
    service = ID
    specific_needs = serializers.CharField(
        max_length=MAX_REFERRAL_TEXT, required=False, allow_blank=True, default=""
    )


class ExpectedVersionSerializer(serializers.Serializer):
    """A change to an existing record states the version read; a stale one answers 409 and nothing changes."""

    expected_version = version(help_text="The version read.")


class FeedbackSerializer(ExpectedVersionSerializer):
    rating = serializers.IntegerField(min_value=1, max_value=5)
    note = serializers.CharField(max_length=MAX_REFERRAL_TEXT, required=False, allow_blank=True, default="")


class PlacementSerializer(TieredModelSerializer):
    """A stay; the address and which safe house are null for a caller without location (T3)."""

    service_name = serializers.CharField(source="service.name", read_only=True)
    service_withheld = WithheldField("service")

    class Meta:
        model = Placement
        fields = [
            "id",
            "service",
            "service_name",
            "service_withheld",
            "address",
            "started_at",
            "ended_at",
            "end_reason",
            "version",
        ]


class PlacementCreateSerializer(serializers.Serializer):
    service = ID
    address = serializers.CharField(max_length=1000, required=False, allow_blank=True, default="")


class PlacementEndSerializer(ExpectedVersionSerializer):
    reason = serializers.ChoiceField(choices=PlacementEnd.choices)


class CaseAssistanceSerializer(serializers.Serializer):
    tiers = serializers.ListField(child=serializers.IntegerField())
    assessment = AssessmentSerializer(allow_null=True)
    plan = PlanSerializer(allow_null=True)
    referrals = ReferralSerializer(many=True)
    placements = PlacementSerializer(many=True)


# --- the provider's side ---


class ProviderReferralSerializer(ReferredService, AnswerModelSerializer):
    """A referral received: T1 facts only."""

    referring_agency_name = serializers.CharField(source="referring_agency.name", read_only=True)

    class Meta:
        model = Referral
        fields = [
            *REFERRAL_HEAD,
            "referring_agency",
            "referring_agency_name",
            "status",
            "sent_at",
            "responded_at",
            "appointment_at",
            "closed_at",
            "version",
        ]


class PackageLanguageSerializer(serializers.Serializer):
    language = serializers.CharField()
    needs_interpreter = serializers.BooleanField()


class PackageSerializer(serializers.Serializer):
    age_group = serializers.CharField()
    gender = serializers.CharField()
    is_child = serializers.BooleanField()
    languages = PackageLanguageSerializer(many=True)
    needs_interpreter = serializers.BooleanField()
    specific_needs = serializers.CharField(allow_blank=True)
    referring_agency = serializers.CharField()
    referring_contact = serializers.CharField()


class ProviderReferralDetailSerializer(serializers.Serializer):
    referral = ProviderReferralSerializer()
    package = PackageSerializer(
        allow_null=True, help_text="Null once the referral is closed or consent withdrawn."
    )


class ReferralAcceptSerializer(ExpectedVersionSerializer):
    appointment_at = serializers.DateTimeField(required=False, allow_null=True, default=None)
    note = serializers.CharField(max_length=MAX_REFERRAL_TEXT, required=False, allow_blank=True, default="")


class ReferralDeclineSerializer(ExpectedVersionSerializer):
    reason = serializers.ChoiceField(choices=DeclineReason.choices)
    note = serializers.CharField(max_length=MAX_REFERRAL_TEXT, required=False, allow_blank=True, default="")


class ReferralCompleteSerializer(ExpectedVersionSerializer):
    service_given = serializers.CharField(max_length=MAX_REFERRAL_TEXT)


class ReferralCloseSerializer(ExpectedVersionSerializer):
    note = serializers.CharField(max_length=MAX_REFERRAL_TEXT)


class QualitySerializer(serializers.Serializer):
    """Each figure is null while withheld (too few cases behind it, palermo.core.disclosure); `withheld`
    names those figures, so a null that hides a small cell is told from one that means no data."""

    provider_id = serializers.IntegerField()
    provider = serializers.CharField()
    referrals = serializers.IntegerField(allow_null=True)
    waiting = serializers.IntegerField(allow_null=True)
    answered = serializers.IntegerField(allow_null=True)
    accepted = serializers.IntegerField(allow_null=True)
    declined = serializers.IntegerField(allow_null=True)
    completed = serializers.IntegerField(allow_null=True)
    average_response_days = serializers.FloatField(allow_null=True)
    acceptance_rate = serializers.FloatField(allow_null=True)
    average_rating = serializers.FloatField(
        allow_null=True, help_text="Null until enough people rated the provider for the average to be shown."
    )
    ratings = serializers.IntegerField(allow_null=True)
    withheld = serializers.ListField(
        child=serializers.CharField(), help_text="The figures of this row withheld as too small to show."
    )


class SummaryLanguageSerializer(serializers.Serializer):
    code = serializers.CharField(help_text="The language code to pass as `lang`.")
    name = serializers.CharField(help_text="The language's name in itself.")
    spoken = serializers.BooleanField(help_text="The person's record says they speak it.")


class PersonDateSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=DateKind.choices)
    kind_name = serializers.CharField(help_text="The kind in words, in the language asked for.")
    on = serializers.DateField(
        allow_null=True, help_text="The day a right ends or a pending decision is due; null when none is set."
    )
    since = serializers.DateField(
        allow_null=True, help_text="The day a pending decision or application was asked for."
    )
    pending = serializers.BooleanField(help_text="A decision or application the person is waiting for.")


class SummaryContactSerializer(serializers.Serializer):
    case_worker_display_name = serializers.CharField(allow_null=True)
    agency = serializers.CharField()
    phone = serializers.CharField(allow_blank=True)
    email = serializers.CharField(allow_blank=True)


class PersonSummarySerializer(serializers.Serializer):
    language = serializers.CharField(help_text="The language the summary is printed in.")
    languages = SummaryLanguageSerializer(many=True, help_text="Every shipped language, the person's first.")
    dates = PersonDateSerializer(many=True)
    contact = SummaryContactSerializer()
    pdf = serializers.CharField(help_text="The summary as a PDF in `language` (this API's summary.pdf).")
