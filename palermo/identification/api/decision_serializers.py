"""What the decisions API reads and sends: decisions (grounds, reasons and the child's views only to those who
may read T4), requests for review, and the bodies of a decision, a review and a request."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from palermo.core.api_answers import AnswerModelSerializer
from palermo.core.api_records import AgencyNamed, attribute_shown, user_named
from palermo.core.decisions import CHILD_VIEWS_FIELDS
from palermo.identification.api.common import MAX_ID
from palermo.identification.models import (
    DecisionKind,
    DecisionOutcome,
    DecisionProcedure,
    Ground,
    IdentificationDecision,
    ReviewRequest,
)
from palermo.identification.services.decisions import REASONS_MAX_LENGTH

CHILD_HELP = (
    "On a child's case give the child's views (with child_age_when_heard), or child_not_heard_reason."
)


def _shows_reasons(serializer: Any, decision: IdentificationDecision) -> bool:
    """The grounds, reasons and child's views (T4) go to a caller who may read narrative on the case."""
    return bool(serializer.context.get("show_reasons"))


class DecisionSerializer(user_named("decided_by"), AgencyNamed, AnswerModelSerializer):  # type: ignore[misc]
    """`grounds`, `reasons` and the child's views are null for a caller who may not read narrative (T4) data
    on the case."""

    kind = serializers.CharField(read_only=True, help_text="presumed or identified")
    stands = serializers.SerializerMethodField()
    grounds = serializers.SerializerMethodField()
    reasons = serializers.SerializerMethodField()
    child_views = serializers.SerializerMethodField()
    child_not_heard_reason = serializers.SerializerMethodField()
    child_age_when_heard = serializers.SerializerMethodField()
    child_interpreter = serializers.SerializerMethodField()

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
            "decided_by_display_name",
            "agency",
            "agency_name",
            "screening",
            "grounds",
            "reasons",
            *CHILD_VIEWS_FIELDS,
        ]

    def get_stands(self, decision: IdentificationDecision) -> bool:
        return decision.pk in self.context.get("standing_ids", ())

    def get_grounds(self, decision: IdentificationDecision) -> list[str] | None:
        return list(decision.grounds) if _shows_reasons(self, decision) else None

    get_reasons = attribute_shown("reasons", str | None, _shows_reasons)
    get_child_views = attribute_shown("child_views", str | None, _shows_reasons, "T4, like the reasons.")
    get_child_not_heard_reason = attribute_shown("child_not_heard_reason", str | None, _shows_reasons)
    get_child_age_when_heard = attribute_shown(
        "child_age_when_heard",
        int | None,
        _shows_reasons,
        "Goes with the child's views: only to those who read them.",
    )
    get_child_interpreter = attribute_shown("child_interpreter", str | None, _shows_reasons)


PAUSED_HELP = "The case is closed: not overdue until it is re-opened."


class RequestedReviewSerializer(AnswerModelSerializer):
    """Read with `review_requests_of`, which gives each request its case (`paused` costs no query)."""

    overdue = serializers.BooleanField(read_only=True)
    paused = serializers.BooleanField(read_only=True, help_text=PAUSED_HELP)

    class Meta:
        model = ReviewRequest
        fields = [
            "id",
            "decision",
            "procedure",
            "requested_at",
            "due_at",
            "deadline_days",
            "deadline_day_kind",
            "rulebook",
            "review",
            "overdue",
            "paused",
        ]


class PendingSerializer(serializers.Serializer):
    kind = serializers.CharField()
    due_at = serializers.DateTimeField()
    overdue = serializers.BooleanField()
    paused = serializers.BooleanField(read_only=True, help_text=PAUSED_HELP)


class CaseDecisionsSerializer(serializers.Serializer):
    pending = PendingSerializer(many=True)
    review_requests = RequestedReviewSerializer(many=True, help_text="Reviews requested and not yet decided.")
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
    # The child's views (required in some form on a child's case; ignored on an adult's).
    child_views = serializers.CharField(
        required=False, allow_blank=True, max_length=REASONS_MAX_LENGTH, help_text=CHILD_HELP
    )
    child_not_heard_reason = serializers.CharField(
        required=False, allow_blank=True, max_length=REASONS_MAX_LENGTH
    )
    child_age_when_heard = serializers.IntegerField(
        required=False, allow_null=True, min_value=0, max_value=21
    )
    child_interpreter = serializers.CharField(required=False, allow_blank=True, max_length=200)


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


REVIEW_PROCEDURES = [value for value in DecisionProcedure.values if value != DecisionProcedure.FIRST]


def review_procedure_field() -> serializers.CharField:
    """A string checked against the review procedures: a choice field with only two of the three procedures
    would give the schema a second "procedure" enum beside the decisions' own."""
    return serializers.CharField(max_length=20, help_text="reconsideration or appeal")


def check_review_procedure(value: str) -> str:
    if value not in REVIEW_PROCEDURES:
        raise serializers.ValidationError("A review is a reconsideration or an appeal.")
    return value


class ReviewSerializer(DecisionInSerializer):
    procedure = review_procedure_field()
    requested_at = serializers.DateTimeField(
        required=False,
        help_text="When the review was requested, if no request was recorded before (default: when decided). "
        "The review is due under the rulebook from then.",
    )

    def validate_procedure(self, value: str) -> str:
        return check_review_procedure(value)


class RequestedReviewInSerializer(serializers.Serializer):
    procedure = review_procedure_field()
    requested_at = serializers.DateTimeField(required=False, help_text="Default: now.")

    def validate_procedure(self, value: str) -> str:
        return check_review_procedure(value)
