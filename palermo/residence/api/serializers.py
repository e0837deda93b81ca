"""Serializers of the residence API. A decision's reasons (T2) are null for callers without T2 on the case;
T4 texts (grounds of appeal, the child's views, the humanitarian assessment's findings and notes) are null
without T4, where only the assessment's progress (T1) is given, save the child's views of a decision the
caller recorded; the country of resettlement (T3) is null without T3."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from palermo.access.serializers import TieredModelSerializer
from palermo.access.tiers import Tier
from palermo.core.api_answers import AnswerModelSerializer
from palermo.core.api_fields import version
from palermo.core.api_records import AgencyNamed, attribute_shown
from palermo.core.decisions import CHILD_VIEWS_FIELDS
from palermo.residence.models import (
    Appeal,
    Application,
    ApplicationKind,
    ApplicationStatus,
    Decision,
    Finding,
    HumanitarianAssessment,
    Outcome,
    PermanentRoute,
    Permit,
    PermitKind,
    RefusalGround,
)
from palermo.residence.selectors import assessment_of, assessment_progress, awaited_due_on
from palermo.residence.services.applications import COUNTRY_MAX_LENGTH
from palermo.residence.services.common import AUTHORITY_MAX_LENGTH, TEXT_MAX_LENGTH
from palermo.residence.services.humanitarian import CRITERIA

CHILD_VIEWS_TEXT = serializers.CharField(
    allow_null=True, help_text="T4: null without T4 access, unless the caller recorded this decision."
)


class ResidencePermitSerializer(AnswerModelSerializer):
    kind = serializers.ChoiceField(choices=PermitKind.choices, read_only=True)
    route = serializers.ChoiceField(choices=[("", ""), *PermanentRoute.choices], read_only=True)

    class Meta:
        model = Permit
        fields = [
            "id",
            "kind",
            "route",
            "valid_from",
            "valid_to",
            "allows_work",
            "allows_study",
            "renewable",
            "rulebook",
            "renewed_by",
        ]


def _child_views_shown(serializer: Any, decision: Decision) -> bool:
    """The decision's own rule: the decisions the context names (residence.selectors.child_views_shown)."""
    return decision.pk in serializer.context.get("child_views", ())


class ResidenceDecisionSerializer(AgencyNamed, TieredModelSerializer):
    outcome = serializers.ChoiceField(choices=Outcome.choices, read_only=True)
    refusal_ground = serializers.ChoiceField(choices=[("", ""), *RefusalGround.choices], read_only=True)
    # The child's views follow the decision's own rule (docs/decisions/0003), not the tier alone.
    child_views = serializers.SerializerMethodField()
    child_not_heard_reason = serializers.SerializerMethodField()
    permit = serializers.SerializerMethodField()

    class Meta:
        model = Decision
        fields = [
            "id",
            "appeal",
            "outcome",
            "refusal_ground",
            "reasons",
            "decided_on",
            "decided_by",
            "agency",
            "agency_name",
            "recorded_at",
            "rulebook",
            *CHILD_VIEWS_FIELDS,
            "permit",
        ]

    get_child_views = extend_schema_field(CHILD_VIEWS_TEXT)(
        attribute_shown("child_views", str | None, _child_views_shown)
    )
    get_child_not_heard_reason = extend_schema_field(CHILD_VIEWS_TEXT)(
        attribute_shown("child_not_heard_reason", str | None, _child_views_shown)
    )

    @extend_schema_field(ResidencePermitSerializer(allow_null=True))
    def get_permit(self, decision: Decision) -> Any:
        try:
            return ResidencePermitSerializer(decision.permit).data
        except Permit.DoesNotExist:
            return None


class ResidenceAppealSerializer(TieredModelSerializer):
    class Meta:
        model = Appeal
        fields = ["id", "lodged_on", "body", "grounds", "refused_by", "agency", "created_at"]


def _findings(name: str, **kwargs: Any) -> type[serializers.Serializer]:
    """A base declaring one finding per criterion of the position paper, in the paper's order."""
    fields = {criterion: serializers.ChoiceField(choices=Finding.choices, **kwargs) for criterion in CRITERIA}
    return type(name, (serializers.Serializer,), fields)


_FindingsShown = _findings("FindingsShown", read_only=True)
_FindingsGiven = _findings("FindingsGiven")


class HumanitarianAssessmentSerializer(_FindingsShown, TieredModelSerializer):  # type: ignore[misc,valid-type]
    class Meta:
        model = HumanitarianAssessment
        fields = [*CRITERIA, "notes", "assessed_by", "assessed_at", "version"]


class HumanitarianAssessmentProgressSerializer(serializers.Serializer):
    """That an assessment exists and how far it has got (T1), for every caller who sees the application."""

    assessed_at = serializers.DateTimeField()
    answered = serializers.IntegerField(help_text="How many criteria have a finding (never which).")
    total = serializers.IntegerField(help_text="How many criteria the position paper lists.")
    complete = serializers.BooleanField()


class ResidenceApplicationSerializer(AgencyNamed, TieredModelSerializer):
    reference = serializers.CharField(source="case.reference", read_only=True)
    kind = serializers.ChoiceField(choices=ApplicationKind.choices, read_only=True)
    route = serializers.ChoiceField(choices=[("", ""), *PermanentRoute.choices], read_only=True)
    status = serializers.ChoiceField(choices=ApplicationStatus.choices, read_only=True)
    decision_due_on = serializers.SerializerMethodField()
    decisions = ResidenceDecisionSerializer(many=True, read_only=True)
    appeals = ResidenceAppealSerializer(many=True, read_only=True)
    assessment = serializers.SerializerMethodField()
    assessment_progress = serializers.SerializerMethodField()

    class Meta:
        model = Application
        fields = [
            "id",
            "reference",
            "kind",
            "route",
            "lodged_on",
            "authority",
            "status",
            "renews",
            "destination_country",
            "decision_due_on",
            "agency",
            "agency_name",
            "created_at",
            "version",
            "decisions",
            "appeals",
            "assessment",
            "assessment_progress",
        ]

    @extend_schema_field(
        serializers.DateField(
            allow_null=True,
            help_text="When the decision awaited falls due: the appeal's under appeal. Null once decided or "
            "withdrawn.",
        )
    )
    def get_decision_due_on(self, application: Application) -> Any:
        return awaited_due_on(application)

    @extend_schema_field(
        HumanitarianAssessmentSerializer(allow_null=True, help_text="T4: null without T4 access.")
    )
    def get_assessment(self, application: Application) -> Any:
        assessment = assessment_of(application)
        if assessment is None or Tier.NARRATIVE not in self.context.get("tiers", ()):
            return None
        return HumanitarianAssessmentSerializer(assessment, context=self.context).data

    @extend_schema_field(
        HumanitarianAssessmentProgressSerializer(allow_null=True, help_text="Null when not assessed.")
    )
    def get_assessment_progress(self, application: Application) -> Any:
        progress = assessment_progress(application)
        if progress is None:
            return None
        return HumanitarianAssessmentProgressSerializer(
            {
                "assessed_at": progress.assessed_at,
                "answered": progress.answered,
                "total": progress.total,
                "complete": progress.complete,
            }
        ).data


# --- input ----------


class ResidenceLodgeSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=ApplicationKind.choices)
    authority = serializers.CharField(max_length=AUTHORITY_MAX_LENGTH)
    lodged_on = serializers.DateField(required=False, allow_null=True, help_text="Default today.")
    route = serializers.ChoiceField(
        choices=PermanentRoute.choices, required=False, help_text="Permanent residence only."
    )
    renews = serializers.IntegerField(
        required=False, min_value=1, max_value=2**31 - 1, help_text="Renewal only: the permit's id."
    )
    destination_country = serializers.CharField(
        required=False, allow_blank=True, max_length=COUNTRY_MAX_LENGTH, help_text="Resettlement only; T3."
    )


class ResidenceCorrectSerializer(serializers.Serializer):
    authority = serializers.CharField(max_length=AUTHORITY_MAX_LENGTH)
    lodged_on = serializers.DateField()
    expected_version = version()


class ResidenceDecideSerializer(serializers.Serializer):
    outcome = serializers.ChoiceField(choices=Outcome.choices)
    reasons = serializers.CharField(max_length=TEXT_MAX_LENGTH)
    refusal_ground = serializers.ChoiceField(
        choices=RefusalGround.choices, required=False, help_text="Required for a refusal."
    )
    decided_on = serializers.DateField(required=False, allow_null=True, help_text="Default today.")
    valid_from = serializers.DateField(
        required=False, allow_null=True, help_text="A granted permit's first day."
    )
    valid_to = serializers.DateField(
        required=False, allow_null=True, help_text="A granted permit's last day."
    )
    child_views = serializers.CharField(required=False, allow_blank=True, max_length=TEXT_MAX_LENGTH)
    child_not_heard_reason = serializers.CharField(
        required=False, allow_blank=True, max_length=TEXT_MAX_LENGTH
    )
    child_age_when_heard = serializers.IntegerField(
        required=False, allow_null=True, min_value=0, max_value=21
    )
    child_interpreter = serializers.CharField(required=False, allow_blank=True, max_length=200)
    expected_version = version()


class ResidenceAppealInputSerializer(serializers.Serializer):
    body = serializers.CharField(max_length=AUTHORITY_MAX_LENGTH)
    lodged_on = serializers.DateField(required=False, allow_null=True, help_text="Default today.")
    grounds = serializers.CharField(required=False, allow_blank=True, max_length=TEXT_MAX_LENGTH)
    expected_version = version()


class ResidenceWithdrawSerializer(serializers.Serializer):
    expected_version = version()


class HumanitarianAssessmentInputSerializer(_FindingsGiven):  # type: ignore[misc,valid-type]
    notes = serializers.CharField(required=False, allow_blank=True, max_length=TEXT_MAX_LENGTH)
    expected_version = version(
        required=False, allow_null=True, help_text="Leave out to create the assessment."
    )


class LegalStatusRowSerializer(serializers.Serializer):
    """One line of the legal-status picture (T1)."""

    lane = serializers.CharField()
    what = serializers.CharField()
    start = serializers.DateField()
    end = serializers.DateField(allow_null=True)
    status = serializers.CharField()
