"""Serializers of the justice API. Every answer is read at the caller's tiers (T2-T4 fields null without
them) AND through the caller's duty: a serializer of a part the caller's role does not read answers null for
every field, so that no proceedings field ever reaches a residence decider, whatever embeds it."""

from __future__ import annotations

from decimal import Decimal
from typing import Any, ClassVar

from django.http import Http404
from rest_framework import serializers

from palermo.access.matrix import JusticePart
from palermo.access.serializers import TieredModelSerializer
from palermo.core.api_fields import version
from palermo.justice.models import (
    Adjournment,
    AdjournmentReason,
    Answer,
    Charge,
    CompensationClaim,
    CompensationRoute,
    Detention,
    Hearing,
    HearingMeasure,
    HearingMeasureKind,
    HearingStatus,
    InformedChoice,
    MeasureDecision,
    MeasureKind,
    MeasureStatus,
    NonPunishmentRequest,
    Offence,
    OffenceKind,
    OffenceStatus,
    PartyRole,
    Proceeding,
    ProceedingKind,
    ProceedingOutcome,
    ProceedingParty,
    ProtectionMeasure,
    RequestOutcome,
    RiskAssessment,
    RiskFactor,
    RiskLevel,
    RiskRating,
    RiskTrigger,
    Stage,
    Statement,
    StatementKind,
)
from palermo.justice.selectors import interviews_count, proceeding_numbered
from palermo.justice.services.common import NAME_MAX_LENGTH, TEXT_MAX_LENGTH
from palermo.justice.services.person import CHOICE_FIELDS

MAX_VERSION = 2**31 - 1


def _version() -> serializers.IntegerField:
    return version(source="expected_version", help_text="The version read.")


def _day(help_text: str = "Default today.") -> serializers.DateField:
    return serializers.DateField(required=False, allow_null=True, help_text=help_text)


class DutySerializer(TieredModelSerializer):
    """Null for every field when the caller's duty does not open `part` (context `parts`)."""

    part: ClassVar[JusticePart]

    def to_representation(self, instance: Any) -> dict[str, Any]:
        if self.part not in self.context.get("parts", ()):
            return {name: None for name, field in self.fields.items() if not field.write_only}
        return super().to_representation(instance)


# --- answers ---


class RiskRatingSerializer(DutySerializer):
    part = JusticePart.RISK
    factor = serializers.ChoiceField(choices=RiskFactor.choices, read_only=True)
    level = serializers.ChoiceField(choices=RiskLevel.choices, read_only=True)

    class Meta:
        model = RiskRating
        fields = ["factor", "level", "reasons", "sources"]


class RiskAssessmentSerializer(DutySerializer):
    part = JusticePart.RISK
    trigger = serializers.ChoiceField(choices=RiskTrigger.choices, read_only=True)
    overall_level = serializers.ChoiceField(choices=RiskLevel.choices, read_only=True)
    ratings = serializers.SerializerMethodField()

    class Meta:
        model = RiskAssessment
        fields = [
            "id",
            "trigger",
            "overall_level",
            "assessed_on",
            "completed_on",
            "review_on",
            "rulebook",
            "ratings",
        ]

    def get_ratings(self, assessment: RiskAssessment) -> list[dict[str, Any]]:
        return list(RiskRatingSerializer(assessment.ratings.all(), many=True, context=self.context).data)


class ProtectionMeasureSerializer(DutySerializer):
    part = JusticePart.RISK
    kind = serializers.ChoiceField(choices=MeasureKind.choices, read_only=True)
    status = serializers.ChoiceField(choices=MeasureStatus.choices, read_only=True)

    class Meta:
        model = ProtectionMeasure
        fields = ["id", "kind", "carried_out_by", "starts_on", "ends_on", "status", "where", "version"]


class HearingMeasureSerializer(DutySerializer):
    part = JusticePart.PROCEEDINGS
    kind = serializers.ChoiceField(choices=HearingMeasureKind.choices, read_only=True)
    decision = serializers.ChoiceField(choices=MeasureDecision.choices, read_only=True)

    class Meta:
        model = HearingMeasure
        fields = ["id", "kind", "decision", "honoured", "requested_on", "decided_on", "version"]


class AdjournmentSerializer(DutySerializer):
    part = JusticePart.PROCEEDINGS
    reason = serializers.ChoiceField(choices=AdjournmentReason.choices, read_only=True)

    class Meta:
        model = Adjournment
        fields = ["from_day", "to_day", "reason"]


class HearingSerializer(DutySerializer):
    part = JusticePart.PROCEEDINGS
    status = serializers.ChoiceField(
        choices=HearingStatus.choices,
        read_only=True,
        help_text="Scheduled until held or cancelled; a hearing put off to another day stays scheduled.",
    )
    held = serializers.BooleanField(read_only=True, help_text="The status is `held`.")
    adjournments = AdjournmentSerializer(
        many=True, read_only=True, help_text="Each time the hearing was put off, the first first."
    )
    measures = serializers.SerializerMethodField(help_text="The protective measures asked for this person.")

    class Meta:
        model = Hearing
        fields = [
            *("id", "held_on", "court", "purpose", "status", "held", "adjournments", "version", "measures")
        ]

    def get_measures(self, hearing: Hearing) -> list[dict[str, Any]]:
        own = [m for summons in getattr(hearing, "own_summonses", []) for m in summons.measures.all()]
        return list(HearingMeasureSerializer(own, many=True, context=self.context).data)


class StatementSerializer(DutySerializer):
    part = JusticePart.PROCEEDINGS
    kind = serializers.ChoiceField(choices=StatementKind.choices, read_only=True)

    class Meta:
        model = Statement
        fields = ["id", "kind", "taken_on", "taken_by", "video_recorded", "hearing"]


class ProceedingSerializer(DutySerializer):
    """A proceeding as this case's team reads it: its own person's part only, nothing of other cases."""

    part = JusticePart.PROCEEDINGS
    kind = serializers.ChoiceField(choices=ProceedingKind.choices, read_only=True)
    stage = serializers.ChoiceField(choices=Stage.choices, read_only=True)
    outcome = serializers.ChoiceField(choices=ProceedingOutcome.choices, read_only=True)
    charges = serializers.ListField(child=serializers.ChoiceField(choices=Charge.choices), read_only=True)

    class Meta:
        model = Proceeding
        fields = [
            "id",
            "kind",
            "authority",
            "file_number",
            "language",
            "stage",
            "charges",
            "outcome",
            "sentence",
            "opened_on",
            "version",
        ]


class PartySerializer(DutySerializer):
    part = JusticePart.PROCEEDINGS
    role = serializers.ChoiceField(choices=PartyRole.choices, read_only=True)
    proceeding = serializers.SerializerMethodField()
    hearings = serializers.SerializerMethodField()
    statements = serializers.SerializerMethodField()
    interviews = serializers.SerializerMethodField(help_text="How often the person was interviewed anew.")

    class Meta:
        model = ProceedingParty
        fields = [
            "id",
            "role",
            "identity_withheld",
            "pseudonym",
            "joined_on",
            "version",
            "proceeding",
            "hearings",
            "statements",
            "interviews",
        ]

    def get_proceeding(self, party: ProceedingParty) -> dict[str, Any]:
        return dict(ProceedingSerializer(party.proceeding, context=self.context).data)

    def get_hearings(self, party: ProceedingParty) -> list[dict[str, Any]]:
        return list(HearingSerializer(party.proceeding.hearings.all(), many=True, context=self.context).data)

    def get_statements(self, party: ProceedingParty) -> list[dict[str, Any]]:
        return list(StatementSerializer(party.statements.all(), many=True, context=self.context).data)

    def get_interviews(self, party: ProceedingParty) -> int:
        return interviews_count(party.statements.all())


class ChoiceSerializer(DutySerializer):
    part = JusticePart.CHOICES
    cooperates = serializers.ChoiceField(choices=Answer.choices, read_only=True)
    claims_compensation = serializers.ChoiceField(choices=Answer.choices, read_only=True)
    testifies = serializers.ChoiceField(choices=Answer.choices, read_only=True)

    class Meta:
        model = InformedChoice
        fields = ["id", *CHOICE_FIELDS]


class ClaimSerializer(DutySerializer):
    part = JusticePart.COMPENSATION
    route = serializers.ChoiceField(choices=CompensationRoute.choices, read_only=True)
    unpaid = serializers.DecimalField(max_digits=12, decimal_places=2, read_only=True, allow_null=True)
    payments = serializers.SerializerMethodField()

    class Meta:
        model = CompensationClaim
        fields = [
            "id",
            "route",
            "proceeding",
            "currency",
            "claimed_amount",
            "claimed_on",
            "awarded_amount",
            "awarded_on",
            "paid_amount",
            "unpaid",
            "version",
            "payments",
        ]

    def get_payments(self, claim: CompensationClaim) -> list[dict[str, Any]]:
        return [{"amount": str(p.amount), "paid_on": p.paid_on.isoformat()} for p in claim.payments.all()]


class RequestSerializer(DutySerializer):
    part = JusticePart.NON_PUNISHMENT
    outcome = serializers.ChoiceField(choices=RequestOutcome.choices, read_only=True)

    class Meta:
        model = NonPunishmentRequest
        fields = [
            "id",
            "proceeding",
            "prosecutor",
            "language",
            "requested_on",
            "legal_basis",
            "outcome",
            "outcome_on",
            "version",
        ]


class OffenceSerializer(DutySerializer):
    part = JusticePart.NON_PUNISHMENT
    kind = serializers.ChoiceField(choices=OffenceKind.choices, read_only=True)
    status = serializers.ChoiceField(choices=OffenceStatus.choices, read_only=True)
    requests = serializers.SerializerMethodField()

    class Meta:
        model = Offence
        fields = ["id", "kind", "status", "committed_on", "details", "link", "version", "requests"]

    def get_requests(self, offence: Offence) -> list[dict[str, Any]]:
        return list(RequestSerializer(offence.requests.all(), many=True, context=self.context).data)


class DetentionSerializer(DutySerializer):
    part = JusticePart.NON_PUNISHMENT

    class Meta:
        model = Detention
        fields = ["id", "authority", "starts_on", "ends_on", "version"]


# --- inputs (field names are the services' keywords) ---


class RatingInput(serializers.Serializer):
    factor = serializers.ChoiceField(choices=RiskFactor.choices)
    level = serializers.ChoiceField(choices=RiskLevel.choices)
    reasons = serializers.CharField(
        max_length=TEXT_MAX_LENGTH, required=False, allow_blank=True, help_text="T3."
    )
    sources = serializers.CharField(
        max_length=TEXT_MAX_LENGTH, required=False, allow_blank=True, help_text="T3."
    )


class RiskInput(serializers.Serializer):
    overall_level = serializers.ChoiceField(choices=RiskLevel.choices)
    trigger = serializers.ChoiceField(choices=RiskTrigger.choices, required=False)
    ratings = RatingInput(many=True, required=False)
    assessed_on = _day()
    completed = serializers.BooleanField(required=False, default=True)


class MeasureInput(serializers.Serializer):
    kind = serializers.ChoiceField(choices=MeasureKind.choices)
    carried_out_by = serializers.CharField(max_length=NAME_MAX_LENGTH)
    starts_on = serializers.DateField()
    ends_on = serializers.DateField(required=False, allow_null=True)
    where = serializers.CharField(max_length=300, required=False, allow_blank=True, help_text="T3.")
    status = serializers.ChoiceField(choices=MeasureStatus.choices, required=False)


class MeasureUpdateInput(serializers.Serializer):
    status = serializers.ChoiceField(choices=MeasureStatus.choices)
    ends_on = serializers.DateField(required=False, allow_null=True, default=None)
    version = _version()


class ProceedingInput(serializers.Serializer):
    kind = serializers.ChoiceField(choices=ProceedingKind.choices)
    authority = serializers.CharField(max_length=NAME_MAX_LENGTH)
    language = serializers.CharField(max_length=10, help_text="The authority's language (ISO 639-1).")
    role = serializers.ChoiceField(choices=PartyRole.choices)
    file_number = serializers.CharField(max_length=100, required=False, allow_blank=True, help_text="T2.")
    stage = serializers.ChoiceField(choices=Stage.choices, required=False)
    charges = serializers.ListField(child=serializers.ChoiceField(choices=Charge.choices), required=False)
    opened_on = _day()
    identity_withheld = serializers.BooleanField(required=False, default=False)
    pseudonym = serializers.CharField(max_length=100, required=False, allow_blank=True, help_text="T2.")


class JoinInput(serializers.Serializer):
    proceeding = serializers.IntegerField(
        min_value=1, max_value=MAX_VERSION, help_text="The proceedings' id."
    )
    role = serializers.ChoiceField(choices=PartyRole.choices)
    identity_withheld = serializers.BooleanField(required=False, default=False)
    pseudonym = serializers.CharField(max_length=100, required=False, allow_blank=True)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        """The proceedings by their id, once the body is valid: unknown ones are answered as missing (the
        join service decides whether the caller may use them)."""
        found = proceeding_numbered(attrs["proceeding"])
        if found is None:
            raise Http404
        return {**attrs, "proceeding": found}


class ProceedingUpdateInput(serializers.Serializer):
    stage = serializers.ChoiceField(choices=Stage.choices)
    outcome = serializers.ChoiceField(choices=ProceedingOutcome.choices)
    sentence = serializers.CharField(max_length=300, required=False, allow_blank=True)
    charges = serializers.ListField(child=serializers.ChoiceField(choices=Charge.choices), required=False)
    version = _version()


class PartyUpdateInput(serializers.Serializer):
    role = serializers.ChoiceField(choices=PartyRole.choices)
    identity_withheld = serializers.BooleanField()
    pseudonym = serializers.CharField(
        max_length=100, required=False, allow_blank=True, default="", help_text="T2."
    )
    version = _version()


class HearingInput(serializers.Serializer):
    held_on = serializers.DateField()
    court = serializers.CharField(max_length=NAME_MAX_LENGTH)
    purpose = serializers.CharField(max_length=NAME_MAX_LENGTH, required=False, allow_blank=True)


class VersionInput(serializers.Serializer):
    version = _version()


class AdjournInput(serializers.Serializer):
    to_day = serializers.DateField(help_text="The new day, after the day the hearing was set for.")
    reason = serializers.ChoiceField(choices=AdjournmentReason.choices)
    version = _version()


class AskInput(serializers.Serializer):
    kind = serializers.ChoiceField(choices=HearingMeasureKind.choices)
    requested_on = _day()


class DecideInput(serializers.Serializer):
    decision = serializers.ChoiceField(choices=MeasureDecision.choices)
    honoured = serializers.BooleanField(required=False, allow_null=True, default=None)
    decided_on = _day()
    version = _version()


class StatementInput(serializers.Serializer):
    kind = serializers.ChoiceField(choices=StatementKind.choices)
    taken_on = _day()
    taken_by = serializers.CharField(max_length=NAME_MAX_LENGTH)
    video_recorded = serializers.BooleanField(required=False, default=False)


class ChoicesInput(serializers.Serializer):
    language = serializers.CharField(
        max_length=10,
        help_text="The language the person was informed in: ISO 639-2 (an ISO 639-1 code is read as its ISO "
        "639-2 equivalent, which is what is kept).",
    )
    legal_information_given = serializers.BooleanField()
    lawyer_assigned = serializers.BooleanField()
    lawyer_free = serializers.BooleanField(required=False, allow_null=True, default=None)
    lawyer_name = serializers.CharField(max_length=NAME_MAX_LENGTH, required=False, allow_blank=True)
    cooperates = serializers.ChoiceField(choices=Answer.choices)
    claims_compensation = serializers.ChoiceField(choices=Answer.choices)
    testifies = serializers.ChoiceField(choices=Answer.choices)
    notes = serializers.CharField(
        max_length=TEXT_MAX_LENGTH, required=False, allow_blank=True, help_text="T4."
    )
    chosen_on = _day()


def _amount() -> serializers.DecimalField:
    return serializers.DecimalField(max_digits=12, decimal_places=2, min_value=Decimal(0))


class ClaimInput(serializers.Serializer):
    route = serializers.ChoiceField(choices=CompensationRoute.choices)
    currency = serializers.CharField(min_length=3, max_length=3)
    claimed_amount = _amount()
    claimed_on = _day()


class AwardInput(serializers.Serializer):
    awarded_amount = _amount()
    awarded_on = _day()
    version = _version()


class PaymentInput(serializers.Serializer):
    amount = _amount()
    paid_on = _day()
    version = _version()


class OffenceInput(serializers.Serializer):
    kind = serializers.ChoiceField(choices=OffenceKind.choices)
    status = serializers.ChoiceField(choices=OffenceStatus.choices)
    link = serializers.CharField(max_length=TEXT_MAX_LENGTH, help_text="T2.")
    details = serializers.CharField(
        max_length=TEXT_MAX_LENGTH, required=False, allow_blank=True, help_text="T2."
    )
    committed_on = serializers.DateField(required=False, allow_null=True)


class RequestInput(serializers.Serializer):
    prosecutor = serializers.CharField(max_length=NAME_MAX_LENGTH)
    language = serializers.CharField(max_length=10, help_text="The prosecutor's language: the letter's.")
    requested_on = _day()


class OutcomeInput(serializers.Serializer):
    outcome = serializers.ChoiceField(choices=RequestOutcome.choices)
    outcome_on = _day()
    version = _version()


class DetentionInput(serializers.Serializer):
    authority = serializers.CharField(max_length=NAME_MAX_LENGTH)
    starts_on = _day()
    ends_on = serializers.DateField(required=False, allow_null=True)


class ReleaseInput(serializers.Serializer):
    ends_on = _day()
    version = _version()
