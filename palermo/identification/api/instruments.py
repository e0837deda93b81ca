"""Instruments (reference data, any member) and the stateless evaluation of answers given by text."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.generics import ListAPIView, RetrieveAPIView
from rest_framework.parsers import MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from palermo.access.declare import ANY_MEMBER
from palermo.accounts.active import acting
from palermo.core.api_answers import AnswerModelSerializer
from palermo.identification.answers import read_answers
from palermo.identification.api.common import BAD_REQUEST, NOT_FOUND
from palermo.identification.evaluation import evaluation_document
from palermo.identification.forms import INSTRUMENT_FILE_LIMIT
from palermo.identification.models import (
    Dimension,
    ExploitationType,
    Indicator,
    Instrument,
)
from palermo.identification.roles import EVALUATORS, INSTRUMENT_INSTALLERS
from palermo.identification.rules import evaluate
from palermo.identification.selectors import (
    instrument_find,
    instrument_specs,
    instrument_with_indicators,
    instruments_all,
)
from palermo.identification.services.instruments import instrument_install

# --- instruments ----------------------------------------------------------------------------------------


class IndicatorSerializer(AnswerModelSerializer):
    adult_weight = serializers.CharField(read_only=True, help_text="strong, medium or weak")
    child_weight = serializers.CharField(
        read_only=True, allow_null=True, help_text="strong, medium or weak; null: not on the child list"
    )

    class Meta:
        model = Indicator
        fields = ["id", "text", "adult_weight", "child_weight"]


class DimensionSerializer(AnswerModelSerializer):
    indicators = IndicatorSerializer(many=True, read_only=True)

    class Meta:
        model = Dimension
        fields = ["key", "group", "indicators"]


class InstrumentSerializer(AnswerModelSerializer):
    class Meta:
        model = Instrument
        fields = ["id", "name", "version", "source", "exploitation_type", "imported_at"]


class InstrumentDetailSerializer(InstrumentSerializer):
    dimensions = DimensionSerializer(many=True, read_only=True)

    class Meta(InstrumentSerializer.Meta):
        fields = [*InstrumentSerializer.Meta.fields, "dimensions"]


@extend_schema(summary="Indicator instruments", description="Every imported list and version, by name.")
class InstrumentList(ListAPIView):
    palermo_roles = ANY_MEMBER
    serializer_class = InstrumentSerializer

    def get_queryset(self) -> Any:
        return instruments_all()


@extend_schema(
    summary="One instrument", description="Its dimensions and indicators, with adult and child weights."
)
class InstrumentDetail(RetrieveAPIView):
    palermo_roles = ANY_MEMBER
    serializer_class = InstrumentDetailSerializer
    lookup_url_kwarg = "instrument_id"

    def get_queryset(self) -> Any:
        return instrument_with_indicators()


class InstrumentInstallSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=Instrument._meta.get_field("name").max_length)
    version = serializers.CharField(max_length=Instrument._meta.get_field("version").max_length)
    source = serializers.CharField(max_length=2000, help_text="Who published the list, and where.")  # type: ignore[assignment]
    exploitation_type = serializers.ChoiceField(ExploitationType.choices)
    file = serializers.FileField(
        help_text="CSV, UTF-8, at most 1 MB: dimension,indicator,strength_adult,strength_child."
    )

    def validate_file(self, sent: Any) -> Any:
        if sent.size > INSTRUMENT_FILE_LIMIT:
            raise serializers.ValidationError(_("The file is larger than 1 MB."))
        return sent


class InstrumentInstall(APIView):
    palermo_roles = INSTRUMENT_INSTALLERS
    parser_classes = [MultiPartParser]

    @extend_schema(
        summary="Install an indicator list",
        description=(
            "From its CSV file, all or nothing: a bad file installs nothing, and `fields` names every bad"
            " line as `rows.<line>` (the header being 1), a problem of the whole file as `file`. A name and"
            " version already installed is refused: a changed list is a new version."
        ),
        request={"multipart/form-data": InstrumentInstallSerializer},
        responses={201: InstrumentDetailSerializer, 400: BAD_REQUEST, 404: NOT_FOUND},
    )
    def post(self, request: Request) -> Response:
        sent = InstrumentInstallSerializer(data=request.data)
        sent.is_valid(raise_exception=True)
        instrument = instrument_install(actor=acting(request).user, sent=sent.validated_data)
        found = instrument_with_indicators().get(pk=instrument.pk)
        return Response(InstrumentDetailSerializer(found).data, status=status.HTTP_201_CREATED)


# --- the stateless evaluation ---------------------------------------------------------------------------


class EvaluateSerializer(serializers.Serializer):
    instrument = serializers.CharField(max_length=100, help_text="Instrument name, e.g. ilo-2009-labour.")
    version = serializers.CharField(
        max_length=100, required=False, help_text="A version of it; default: the one imported last."
    )
    child = serializers.BooleanField(help_text="true: the child rule and weights; false: the adult rule.")
    answers = serializers.ListField(child=serializers.DictField(), max_length=1000)


class HitSerializer(serializers.Serializer):
    indicator = serializers.CharField()
    weight = serializers.CharField()


class DimensionEvaluationSerializer(serializers.Serializer):
    group = serializers.CharField()
    verdict = serializers.ChoiceField(choices=["positive", "negative", "insufficient_information"])
    indicators = HitSerializer(
        many=True, help_text="The indicators answered yes: those that made it positive."
    )
    unknown = HitSerializer(many=True, help_text="Indicators answered unknown or not answered.")


class EvaluationSerializer(serializers.Serializer):
    """Documents the evaluation's shape (the same document `palermo screen` prints)."""

    instrument = inline_serializer(
        "EvaluationInstrument",
        {
            "name": serializers.CharField(),
            "version": serializers.CharField(),
            "title": serializers.CharField(help_text="The instrument's name as people say it."),
        },
    )
    victim = serializers.BooleanField()
    rule = serializers.ChoiceField(choices=["adult", "child"])
    insufficient_information = serializers.BooleanField()
    required_groups = serializers.ListField(child=serializers.CharField())
    groups = serializers.DictField(child=serializers.CharField())
    lacking_information = serializers.ListField(child=serializers.CharField())
    dimensions = serializers.DictField(child=DimensionEvaluationSerializer())
    explanation = inline_serializer(
        "EvaluationExplanation",
        {
            "summary": serializers.CharField(help_text="What the rule asks, and whether it is met."),
            "rule": serializers.CharField(help_text="The combination a dimension must meet, in words."),
            "elements": inline_serializer(
                "EvaluationElement",
                {
                    "element": serializers.CharField(),
                    "label": serializers.CharField(),
                    "required": serializers.BooleanField(),
                    "state": serializers.ChoiceField(choices=["met", "missed", "open"]),
                    "text": serializers.CharField(),
                    "dimensions": serializers.ListField(child=serializers.DictField()),
                },
                many=True,
            ),
        },
        help_text="Which combination each element of the rule met or missed, in the caller's language.",
    )
    note = serializers.CharField()


class Evaluate(APIView):
    """Apply the rule to answers given by text, as the `palermo screen` command does. Nothing is stored."""

    palermo_roles = EVALUATORS

    @extend_schema(
        summary="Evaluate answers (stateless)",
        description=(
            "Answers name the dimension key and the indicator text as in the instrument; unanswered "
            "indicators count as unknown. The result is advice for the decision maker, never the decision."
        ),
        request=EvaluateSerializer,
        responses={200: EvaluationSerializer, 400: BAD_REQUEST},
    )
    def post(self, request: Request) -> Response:
        payload = EvaluateSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        instrument = instrument_find(data["instrument"], data.get("version"))
        if instrument is None:
            raise serializers.ValidationError({"instrument": "No such instrument (or version)."})
        specs = instrument_specs(instrument)
        answers = read_answers({"answers": data["answers"]}, specs)  # AnswerProblems: a refusal (400)
        return Response(evaluation_document(instrument, evaluate(specs, answers, child=data["child"])))
