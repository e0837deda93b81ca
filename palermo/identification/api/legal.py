"""Legal elements, differentiation and age assessments of a case through the API (narrative, T4)."""

from __future__ import annotations

from typing import Any

from django.http import Http404
from rest_framework import serializers
from rest_framework.request import Request

from palermo.accounts.active import acting
from palermo.cases.api_values import MonthField
from palermo.cases.child import case_is_child, child_rules_apply, child_rules_basis, child_rules_explained
from palermo.cases.endpoints import CaseAction, Reading
from palermo.cases.models import Case
from palermo.cases.services.exploitation_period import case_exploitation_period_set
from palermo.core.api_records import AgencyNamed
from palermo.identification.api.common import (
    BAD_REQUEST,
    CONFLICT,
    MAX_ID,
    NOT_FOUND,
)
from palermo.identification.legal import elements_check, exploitation_period
from palermo.identification.models import (
    Act,
    AgeAssessment,
    AgeConclusion,
    AgeMethod,
    Differentiation,
    Means,
    Purpose,
)
from palermo.identification.roles import ASSESSMENT_READERS, ASSESSMENT_WRITERS
from palermo.identification.selectors import (
    age_assessments_of,
    assessment_case,
    differentiations_of,
    legal_elements_of,
)
from palermo.identification.services.legal import (
    TEXT_MAX_LENGTH,
    age_assessment_record,
    differentiation_record,
    legal_elements_set,
)

HISTORY_LIMIT = 100


def _writer_case(request: Request, reference: str, reason: str) -> tuple[Any, Any, Case]:
    user, membership = acting(request)
    if membership.role not in ASSESSMENT_WRITERS:
        raise Http404
    return user, membership, assessment_case(membership, reference, reason=reason)


class LegalElementsOutSerializer(serializers.Serializer):
    acts = serializers.ListField(child=serializers.CharField())
    means = serializers.ListField(child=serializers.CharField())
    purposes = serializers.ListField(child=serializers.CharField())
    note = serializers.CharField()
    version = serializers.IntegerField(allow_null=True, help_text="null: nothing recorded yet")
    treated_as_child = serializers.BooleanField(help_text="The case is a child's today.")
    child_rules = serializers.BooleanField(
        help_text="The child rules apply: a child today, or when the exploitation began."
    )
    age_used = serializers.ChoiceField(
        choices=["child_when_exploited", "child_now", "adult_when_exploited", "adult_period_unknown"],
        help_text="Which age the check used.",
    )
    age_explained = serializers.CharField(help_text="The same, in a plain sentence.")
    exploitation_began = serializers.CharField(allow_null=True, help_text="YYYY-MM, or null.")
    exploitation_ended = serializers.CharField(allow_null=True, help_text="YYYY-MM, or null.")
    exploitation_country = serializers.CharField(help_text="ISO 3166 alpha-3, or empty.")
    exploitation_sector = serializers.CharField(help_text="HTCDS vic_ForcedLabourIndustry value, or empty.")
    means_of_control = serializers.ListField(
        child=serializers.CharField(), help_text="HTCDS vic_MethodsOfControl values."
    )
    recruiter_relationship = serializers.CharField(
        help_text="HTCDS vic_RelationshipToTrafficker value, or empty."
    )
    case_version = serializers.IntegerField(help_text="State it to change the exploitation period.")
    means_required = serializers.BooleanField()
    elements_met = serializers.BooleanField()
    missing = serializers.ListField(child=serializers.CharField())


class LegalElementsInSerializer(serializers.Serializer):
    acts = serializers.ListField(child=serializers.ChoiceField(choices=Act.choices), max_length=20)
    means = serializers.ListField(child=serializers.ChoiceField(choices=Means.choices), max_length=20)
    purposes = serializers.ListField(child=serializers.ChoiceField(choices=Purpose.choices), max_length=20)
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=TEXT_MAX_LENGTH)
    expected_version = serializers.IntegerField(
        required=False, min_value=1, max_value=MAX_ID, help_text="Required to change what is recorded."
    )


def _kept(max_length: int, what: str, **kwargs: Any) -> serializers.CharField:
    """An optional text of the period's write: omitted keeps what is recorded, empty clears it."""
    return serializers.CharField(
        required=False, allow_blank=True, max_length=max_length, help_text=f"{what}; omitted: kept.", **kwargs
    )


class ExploitationPeriodInSerializer(serializers.Serializer):
    exploitation_began = MonthField(help_text="YYYY-MM", source="began")
    exploitation_ended = MonthField(
        required=False,
        allow_null=True,
        default=None,
        help_text="YYYY-MM; null: goes on or unknown.",
        source="ended",
    )
    exploitation_country = _kept(3, "ISO 3166 alpha-3", source="country")
    exploitation_sector = _kept(80, "A value name of HTCDS vic_ForcedLabourIndustry", source="sector")
    means_of_control = serializers.ListField(
        child=serializers.CharField(max_length=40),
        required=False,
        max_length=30,
        help_text="Value names of HTCDS vic_MethodsOfControl; omitted: kept.",
    )
    recruiter_relationship = _kept(20, "A value name of HTCDS vic_RelationshipToTrafficker")
    expected_version = serializers.IntegerField(
        min_value=1, max_value=MAX_ID, help_text="The case's version."
    )


def _legal_document(case: Case) -> dict[str, Any]:
    elements = legal_elements_of(case)
    child = child_rules_apply(case)
    acts, means, purposes = (elements.acts, elements.means, elements.purposes) if elements else ([], [], [])
    check = elements_check(acts=acts, means=means, purposes=purposes, child=child)
    return {
        "acts": acts,
        "means": means,
        "purposes": purposes,
        "note": elements.note if elements else "",
        "version": elements.version if elements else None,
        "treated_as_child": case_is_child(case),
        "child_rules": child,
        "age_used": str(child_rules_basis(case)),
        "age_explained": child_rules_explained(case),
        **exploitation_period(case, no_month=None),
        "case_version": case.version,
        "means_required": check.means_required,
        "elements_met": check.met,
        "missing": list(check.missing),
    }


class AssessmentWrite(CaseAction):
    # A write on a case's assessment: only an assessment writer, and the case read for that reason (audited).
    palermo_roles = ASSESSMENT_READERS
    refusals = {400: BAD_REQUEST, 404: NOT_FOUND}
    reason: str

    def case_of(self, request: Request, reference: str) -> tuple[Case, frozenset[int]]:
        _user, _membership, case = _writer_case(request, reference, self.reason)
        return case, frozenset()

    def case_read(self, request: Request, reference: str) -> tuple[Case, frozenset[int]]:
        _user, membership = acting(request)
        return assessment_case(membership, reference, reason=self.reason), frozenset()

    def answer(self, case: Case, tiers: frozenset[int], record: Any) -> Any:
        return self.output(record).data


class LegalElementsView(AssessmentWrite):
    method = "put"
    summary = "Record the legal elements"
    input = LegalElementsInSerializer
    output = LegalElementsOutSerializer
    refusals = {400: BAD_REQUEST, 404: NOT_FOUND, 409: CONFLICT}
    reason = "legal elements"

    reading = Reading(
        "Legal elements of a case",
        LegalElementsOutSerializer,
        "Act, means and purpose (Palermo Protocol art. 3); a child's case needs no means.",
    )

    def read(self, case: Case, tiers: frozenset[int], **ids: Any) -> Any:
        return _legal_document(case)

    def perform(self, user: Any, membership: Any, target: Any, data: dict[str, Any]) -> Any:
        # No version stated: nothing was recorded yet, as far as the caller knows.
        version = data.pop("expected_version", None)
        legal_elements_set(actor=user, membership=membership, case=target, expected_version=version, **data)
        return target

    def answer(self, case: Case, tiers: frozenset[int], record: Any) -> Any:
        return self.read(case, tiers)


class ExploitationPeriodView(AssessmentWrite):
    method = "put"
    summary = "Record the exploitation period"
    description = (
        "The months the exploitation began and ended, with the case's version. The start month settles "
        "whether the person was a child then, and so whether the child rules apply."
    )
    input = ExploitationPeriodInSerializer
    output = LegalElementsOutSerializer
    refusals = {400: BAD_REQUEST, 404: NOT_FOUND, 409: CONFLICT}
    reason = "exploitation period"
    service = case_exploitation_period_set

    def answer(self, case: Case, tiers: frozenset[int], record: Any) -> Any:
        return _legal_document(record)

    def current(self, case: Case, tiers: frozenset[int], row: Any, **ids: Any) -> Any:
        return _legal_document(row)  # the case as the service found it, with its current version


class DifferentiationSerializer(AgencyNamed, serializers.ModelSerializer):
    class Meta:
        model = Differentiation
        fields = ["id", "situation", "reasons", "recorded_by", "agency", "agency_name", "recorded_at"]
        read_only_fields = ["id", "recorded_by", "agency", "agency_name", "recorded_at"]


class DifferentiationList(AssessmentWrite):
    summary = "Record a differentiation"
    input = DifferentiationSerializer
    output = DifferentiationSerializer
    created = True
    reason = "differentiation"

    reading = Reading(
        "Differentiation of a case",
        DifferentiationSerializer(many=True),
        "Trafficking, smuggling, irregular migration or other exploitation; newest first.",
    )
    service = differentiation_record

    def read(self, case: Case, tiers: frozenset[int], **ids: Any) -> Any:
        return DifferentiationSerializer(differentiations_of(case)[:HISTORY_LIMIT], many=True).data


class AgeAssessmentSerializer(serializers.ModelSerializer):
    method = serializers.ChoiceField(choices=AgeMethod.choices)
    conclusion = serializers.ChoiceField(choices=AgeConclusion.choices)

    class Meta:
        model = AgeAssessment
        fields = [
            "id",
            "method",
            "conclusion",
            "assessed_on",
            "assessor",
            "findings",
            "recorded_by",
            "recorded_at",
        ]
        read_only_fields = ["id", "recorded_by", "recorded_at"]


class AgeAssessmentsSerializer(serializers.Serializer):
    treated_as_child = serializers.BooleanField()
    assessments = AgeAssessmentSerializer(many=True)


class AgeAssessmentList(AssessmentWrite):
    summary = "Record an age assessment"
    input = AgeAssessmentSerializer
    output = AgeAssessmentSerializer
    created = True
    reason = "age assessments"

    reading = Reading(
        "Age assessments of a case",
        AgeAssessmentsSerializer,
        "Newest first, and whether the case is treated as a child's (presumption of minority).",
    )
    service = age_assessment_record

    def read(self, case: Case, tiers: frozenset[int], **ids: Any) -> Any:
        assessments = AgeAssessmentSerializer(age_assessments_of(case)[:HISTORY_LIMIT], many=True).data
        return {"treated_as_child": case_is_child(case), "assessments": assessments}
