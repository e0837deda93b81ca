"""Screenings on a case through the API: start, answer (partial work), complete, read with the evaluation."""

from __future__ import annotations

from typing import Any

from django.http import Http404
from drf_spectacular.utils import extend_schema, extend_schema_field, inline_serializer
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response

from palermo.accounts.active import acting
from palermo.cases.endpoints import CaseAction, CaseRead, Reading, validated
from palermo.cases.models import Case
from palermo.core.api_answers import AnswerModelSerializer
from palermo.core.api_lists import CallerList
from palermo.core.api_records import AgencyNamed, user_named
from palermo.identification.answers import normalise_key, normalise_text
from palermo.identification.api.common import (
    BAD_REQUEST,
    CONFLICT,
    MAX_ID,
    NOT_FOUND,
)
from palermo.identification.api.instruments import EvaluationSerializer
from palermo.identification.evaluation import evaluation_document
from palermo.identification.models import (
    AnswerChoice,
    InformationSource,
    Screening,
)
from palermo.identification.roles import SCREENING_READERS, SCREENING_WRITERS
from palermo.identification.selectors import (
    instrument_find,
    instruments_all,
    screening_answer_rows,
    screening_case,
    screening_coverage,
    screening_evaluation,
    screening_instrument,
    screening_on,
    screening_progress,
    screening_step_progress,
    screenings_of,
)
from palermo.identification.services.screenings import (
    NOTE_MAX_LENGTH,
    AnswerInput,
    screening_answer_set,
    screening_complete,
    screening_start,
)

# --- screenings on a case -------------------------------------------------------------------------------


class ScreeningSummarySerializer(user_named("created_by"), AgencyNamed, AnswerModelSerializer):  # type: ignore[misc]
    instrument_name = serializers.CharField(source="instrument.name", read_only=True)
    instrument_version = serializers.CharField(source="instrument.version", read_only=True)
    status = serializers.CharField(read_only=True, help_text="draft or complete")

    class Meta:
        model = Screening
        fields = [
            "id",
            "instrument",
            "instrument_name",
            "instrument_version",
            "child",
            "status",
            "created_by",
            "created_by_username",
            "created_by_display_name",
            "agency",
            "agency_name",
            "created_at",
            "completed_at",
            "version",
        ]


class AnswerOutSerializer(serializers.Serializer):
    indicator_id = serializers.IntegerField()
    dimension = serializers.CharField()
    indicator = serializers.CharField()
    answer = serializers.CharField()
    note = serializers.CharField()
    source = serializers.CharField()  # type: ignore[assignment]
    answered_at = serializers.DateTimeField()


class CoverageSerializer(serializers.Serializer):
    instrument = serializers.CharField(help_text="The instrument this screening used: name (version).")
    instrument_exploitation_type = serializers.CharField(help_text="What the instrument was written for.")
    case_forms = serializers.ListField(child=serializers.CharField())
    forms_not_covered = serializers.ListField(
        child=serializers.CharField(), help_text="The case's forms the instrument was not written for."
    )
    forms_without_instrument = serializers.ListField(
        child=serializers.CharField(), help_text="The case's forms no installed instrument was written for."
    )
    fits = serializers.BooleanField()
    message = serializers.CharField(help_text="Empty when the instrument fits every form of the case.")


class ProgressSerializer(serializers.Serializer):
    answered = serializers.IntegerField(help_text="Indicators of the screening's list answered.")
    total = serializers.IntegerField(help_text="Indicators on the screening's list.")
    many_unanswered = serializers.BooleanField(help_text="Completing asks for unanswered_confirmed.")
    steps = inline_serializer(
        "ScreeningStep",
        {
            "dimension": serializers.CharField(),
            "label": serializers.CharField(),
            "answered": serializers.IntegerField(),
            "total": serializers.IntegerField(),
        },
        many=True,
    )


class ScreeningSerializer(ScreeningSummarySerializer):
    answers = serializers.SerializerMethodField()
    evaluation = serializers.SerializerMethodField()
    coverage = serializers.SerializerMethodField()
    progress = serializers.SerializerMethodField()

    class Meta(ScreeningSummarySerializer.Meta):
        fields = [*ScreeningSummarySerializer.Meta.fields, "answers", "evaluation", "coverage", "progress"]

    @extend_schema_field(ProgressSerializer)
    def get_progress(self, screening: Screening) -> dict[str, Any]:
        """How far the answers go, in the steps the pages show (one per dimension)."""
        instrument = screening_instrument(screening)
        rows = screening_answer_rows(screening)
        progress = screening_progress(screening, instrument, rows)
        steps = [
            {
                "dimension": step.dimension.key,
                "label": step.dimension.label,
                "answered": step.answered,
                "total": step.total,
            }
            for step in screening_step_progress(screening, instrument, rows)
        ]
        return {
            "answered": progress.answered,
            "total": progress.total,
            "many_unanswered": progress.many_unanswered,
            "steps": steps,
        }

    @extend_schema_field(CoverageSerializer)
    def get_coverage(self, screening: Screening) -> dict[str, Any]:
        found = screening_coverage(screening)
        return {
            "instrument": f"{found.instrument.name} ({found.instrument.version})",
            "instrument_exploitation_type": found.instrument.exploitation_type,
            "case_forms": list(found.case_forms),
            "forms_not_covered": list(found.not_covered),
            "forms_without_instrument": list(found.none_installed),
            "fits": found.fits,
            "message": found.message(),
        }

    @extend_schema_field(AnswerOutSerializer(many=True))
    def get_answers(self, screening: Screening) -> list[dict[str, Any]]:
        return [
            {
                "indicator_id": row.indicator_id,
                "dimension": row.indicator.dimension.key,
                "indicator": row.indicator.text,
                "answer": row.answer,
                "note": row.note,
                "source": row.source,
                "answered_at": row.answered_at,
            }
            for row in screening_answer_rows(screening)
        ]

    @extend_schema_field(EvaluationSerializer)
    def get_evaluation(self, screening: Screening) -> dict[str, Any]:
        return evaluation_document(screening_instrument(screening), screening_evaluation(screening))


class ScreeningCreateSerializer(serializers.Serializer):
    instrument = serializers.IntegerField(
        required=False, min_value=1, max_value=MAX_ID, help_text="Instrument id; or give instrument_name."
    )
    instrument_name = serializers.CharField(required=False, max_length=100)
    instrument_version = serializers.CharField(required=False, max_length=100)
    child = serializers.BooleanField(
        required=False, help_text="Default: the child rule while the case is treated as a child's."
    )

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if "instrument" in attrs:
            found = instruments_all().filter(pk=attrs["instrument"]).first()
        elif "instrument_name" in attrs:
            found = instrument_find(attrs["instrument_name"], attrs.get("instrument_version"))
        else:
            raise serializers.ValidationError("Give the instrument (id) or instrument_name.")
        if found is None:
            raise serializers.ValidationError("No such instrument.")
        attrs["found"] = found
        return attrs


class AnswerInSerializer(serializers.Serializer):
    indicator_id = serializers.IntegerField(required=False, min_value=1, max_value=MAX_ID)
    dimension = serializers.CharField(required=False, max_length=100)
    indicator = serializers.CharField(required=False, max_length=400)
    answer = serializers.ChoiceField(choices=AnswerChoice.choices)
    note = serializers.CharField(required=False, allow_blank=True, max_length=NOTE_MAX_LENGTH, default="")
    source = serializers.ChoiceField(  # type: ignore[assignment]
        choices=InformationSource.choices, required=False, allow_blank=True, default=""
    )

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if "indicator_id" not in attrs and not ("dimension" in attrs and "indicator" in attrs):
            raise serializers.ValidationError(
                "Name the indicator by indicator_id, or by dimension and indicator."
            )
        return attrs


class AnswersSerializer(serializers.Serializer):
    expected_version = serializers.IntegerField(min_value=1, max_value=MAX_ID)
    answers = AnswerInSerializer(many=True, max_length=1000)  # type: ignore[call-arg]


class CompleteSerializer(serializers.Serializer):
    expected_version = serializers.IntegerField(min_value=1, max_value=MAX_ID)
    unanswered_confirmed = serializers.BooleanField(
        default=False,
        help_text=(
            "With a third or more of the indicators unanswered, completing is refused (400, code "
            "many_unanswered) unless this says the unanswered are known and count as unknown."
        ),
    )


def _indicator_ids(
    screening: Screening, items: list[dict[str, Any]]
) -> tuple[list[AnswerInput], dict[str, str]]:
    """Answers naming their indicator by text become answers by id; unknown names are reported."""
    by_text = {
        (normalise_key(dimension.key), normalise_text(indicator.text)): indicator.pk
        for dimension in screening_instrument(screening).dimensions.all()
        for indicator in dimension.indicators.all()
    }
    inputs: list[AnswerInput] = []
    problems: dict[str, str] = {}
    for number, item in enumerate(items):
        indicator_id = item.get("indicator_id")
        if indicator_id is None:
            indicator_id = by_text.get((normalise_key(item["dimension"]), normalise_text(item["indicator"])))
            if indicator_id is None:
                problems[f"answers.{number}"] = "No such indicator in this dimension of the instrument."
                continue
        inputs.append(AnswerInput(indicator_id, item["answer"], item["note"], item["source"]))
    return inputs, problems


class ScreeningListCreate(CallerList):
    palermo_roles = SCREENING_READERS
    serializer_class = ScreeningSummarySerializer
    model = Screening

    def listed(self) -> Any:
        _user, membership = acting(self.request)
        return screenings_of(screening_case(membership, self.kwargs["reference"], reason="screenings"))

    @extend_schema(
        summary="Screenings of a case", responses={200: ScreeningSummarySerializer(many=True), 404: NOT_FOUND}
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)

    @extend_schema(
        summary="Start a screening",
        request=ScreeningCreateSerializer,
        responses={201: ScreeningSerializer, 400: BAD_REQUEST, 404: NOT_FOUND},
    )
    def post(self, request: Request, reference: str) -> Response:
        user, membership = acting(request)
        if membership.role not in SCREENING_WRITERS:
            raise Http404
        case = screening_case(membership, reference, reason="screening start")
        body = validated(ScreeningCreateSerializer, request)
        screening = screening_start(
            actor=user,
            membership=membership,
            case=case,
            instrument=body["found"],
            child=body.get("child"),
        )
        screening = screening_on(case, screening.pk)
        return Response(ScreeningSerializer(screening).data, status=status.HTTP_201_CREATED)


class ScreeningDetail(CaseRead):
    palermo_roles = SCREENING_READERS
    reading = Reading(
        "One screening",
        ScreeningSerializer,
        "Its answers and its evaluation: advice for the decision maker, never the decision.",
    )
    refusals = {404: NOT_FOUND}

    def case_of(self, request: Request, reference: str) -> tuple[Case, frozenset[int]]:
        _user, membership = acting(request)
        return screening_case(membership, reference, reason="screening"), frozenset()

    def read(self, case: Case, tiers: frozenset[int], **ids: Any) -> Any:
        return ScreeningSerializer(screening_on(case, ids["screening_id"])).data


class ScreeningWrite(CaseAction):
    # A change of one screening: only a screening writer, the case read for that reason (audited); the
    # answer is the screening as it now is.
    palermo_roles = SCREENING_WRITERS
    output = ScreeningSerializer
    refusals = {400: BAD_REQUEST, 404: NOT_FOUND, 409: CONFLICT}
    reason: str

    def case_of(self, request: Request, reference: str) -> tuple[Case, frozenset[int]]:
        _user, membership = acting(request)
        return screening_case(membership, reference, reason=self.reason), frozenset()

    def target(self, case: Case, **ids: Any) -> Any:
        return screening_on(case, ids["screening_id"])

    def answer(self, case: Case, tiers: frozenset[int], record: Any) -> Any:
        return ScreeningSerializer(screening_on(case, record.pk)).data


class ScreeningAnswers(ScreeningWrite):
    summary = "Save answers of a draft screening"
    description = "Some or all answers; saved as partial work. Indicators by id, or by dimension and text."
    input = AnswersSerializer
    reason = "screening answers"

    def perform(self, user: Any, membership: Any, target: Any, data: dict[str, Any]) -> Any:
        inputs, problems = _indicator_ids(target, data["answers"])
        if problems:
            raise serializers.ValidationError(problems)
        return screening_answer_set(
            actor=user,
            membership=membership,
            screening=target,
            expected_version=data["expected_version"],
            answers=inputs,
        )


class ScreeningComplete(ScreeningWrite):
    summary = "Complete a screening"
    description = "Evaluates the answers and keeps the evaluation with them; the screening is then frozen."
    input = CompleteSerializer
    reason = "screening complete"
    service = screening_complete
    acts_on = "screening"
