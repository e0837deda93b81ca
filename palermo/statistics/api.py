"""The statistics in the API: the dashboard's tables for a view, one table, the compliance indicators, the law
against the position paper, and the releases (list, one, publish). Aggregates only (T0); a withheld cell is
null and named in `withheld`."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from palermo.accounts.endpoints import ActingAction
from palermo.core import api_errors
from palermo.core.api_errors import BAD_REQUEST
from palermo.core.api_lists import CallerList, checked_query
from palermo.statistics import selectors
from palermo.statistics.catalogue import STAGES
from palermo.statistics.compliance import measure
from palermo.statistics.eurostat import CODES_VERIFIED, COLUMNS, eurostat_release, eurostat_rows
from palermo.statistics.law import law, rulebook_choices
from palermo.statistics.models import Mechanism, Release
from palermo.statistics.publication import Parameters, minimum_cell
from palermo.statistics.registry import REGISTRY
from palermo.statistics.services import release_publish
from palermo.statistics.web import GROUP_VALUES, STATISTICS_ROLES, Filters

NOT_FOUND = api_errors.error_response("No such table or release.")


class FiltersQuery(serializers.Serializer):
    """A view's filters. A value the view does not know is a 400 naming it: a script that asked for a view
    with a typo gets no figures of another view (the page, where a person picks from lists, shows the
    default view)."""

    stage = serializers.ChoiceField(STAGES, required=False, help_text="Which persons (referred when absent).")
    year = serializers.IntegerField(
        min_value=1901, max_value=2199, required=False, help_text="Year of referral (all years when absent)."
    )
    group = serializers.ChoiceField(
        GROUP_VALUES, required=False, help_text="Adults or children (both when absent)."
    )


def _filters(request: Request) -> Filters:
    return Filters.read(checked_query(FiltersQuery, request.query_params))


class StatisticsRowSerializer(serializers.Serializer):
    value = serializers.JSONField()
    label = serializers.CharField()  # type: ignore[assignment]
    count = serializers.IntegerField(allow_null=True)


class StatisticsTableSerializer(serializers.Serializer):
    key = serializers.CharField()
    title = serializers.CharField()
    dimension = serializers.CharField()
    rows = StatisticsRowSerializer(many=True)
    total = serializers.IntegerField(allow_null=True)
    withheld = serializers.ListField(child=serializers.JSONField())
    additive = serializers.BooleanField()


class StatisticsTimingSerializer(serializers.Serializer):
    label = serializers.CharField()  # type: ignore[assignment]
    median_days = serializers.FloatField(allow_null=True)
    p90_days = serializers.FloatField(allow_null=True)
    withheld = serializers.BooleanField()


class StatisticsDashboardSerializer(serializers.Serializer):
    threshold = serializers.IntegerField()
    years = serializers.ListField(child=serializers.IntegerField())
    tables = StatisticsTableSerializer(many=True)
    timings = StatisticsTimingSerializer(many=True)


def _timing(timing: Any) -> dict[str, Any]:
    return {
        "label": str(timing.label),
        "median_days": timing.median,
        "p90_days": timing.p90,
        "withheld": timing.withheld,
    }


class DashboardView(APIView):
    palermo_roles = frozenset(STATISTICS_ROLES)

    @extend_schema(
        summary="The rapporteur's statistics for a view",
        description=(
            "Counts of distinct persons for every table of the view, with disclosure control (a withheld "
            "cell "
            "is null and named in `withheld`), and the times to decisions. The same figures as the page."
        ),
        parameters=[FiltersQuery],
        responses={200: StatisticsDashboardSerializer, 400: BAD_REQUEST},
    )
    def get(self, request: Request) -> Response:
        board = selectors.dashboard(_filters(request))
        return Response(
            {
                "threshold": board.threshold,
                "years": board.years,
                "tables": [t.as_json() for t in board.tables + board.outcomes],
                "timings": [_timing(t) for t in [*board.timings, board.reflection]],
            }
        )


class TableView(APIView):
    palermo_roles = frozenset(STATISTICS_ROLES)

    @extend_schema(
        summary="One table of the statistics",
        parameters=[FiltersQuery],
        responses={200: StatisticsTableSerializer, 400: BAD_REQUEST, 404: NOT_FOUND},
    )
    def get(self, request: Request, key: str) -> Response:
        table = selectors.one_table(_filters(request), key)
        if table is None:
            raise Http404
        return Response(table.as_json())


class StatisticsQuarterSerializer(serializers.Serializer):
    quarter = serializers.CharField()
    persons = serializers.IntegerField(allow_null=True)
    short = serializers.IntegerField(allow_null=True)
    share = serializers.FloatField(allow_null=True)


class StatisticsIndicatorSerializer(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()  # type: ignore[assignment]
    standard = serializers.CharField()
    measured = serializers.BooleanField()
    quarters = StatisticsQuarterSerializer(many=True)


class ComplianceView(APIView):
    palermo_roles = frozenset(STATISTICS_ROLES)

    @extend_schema(
        summary="Compliance indicators by quarter",
        description="Persons whose case fell short of the rulebook or the paper, by quarter ;"
        " small cells null.",
        responses={200: StatisticsIndicatorSerializer(many=True)},
    )
    def get(self, request: Request) -> Response:
        found = measure(timezone.localdate(), minimum_cell())
        return Response(
            [
                {
                    "key": m.indicator.key,
                    "label": str(m.indicator.label),
                    "standard": m.indicator.standard_words,
                    "measured": m.measured,
                    "quarters": [
                        {"quarter": q.quarter, "persons": q.total, "short": q.short, "share": q.share}
                        for q in m.quarters
                    ],
                }
                for m in found
            ]
        )


class LawQuery(serializers.Serializer):
    rulebook = serializers.ChoiceField(
        [],
        required=False,
        help_text="A rulebook's name, to compare with the paper (the one in force when absent).",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["rulebook"]
        assert isinstance(field, serializers.ChoiceField)  # noqa: S101  (declared above)
        field.choices = [name for name, _title in rulebook_choices()]


class StatisticsLawPointSerializer(serializers.Serializer):
    key = serializers.CharField(help_text="The rulebook's key the point reads.")
    topic = serializers.CharField()
    paper_says = serializers.CharField(help_text="The position paper's own words (English).")
    paper = serializers.CharField(help_text="What the paper asks, in words.")
    rulebook = serializers.CharField(help_text="What the rulebook says, in words.")
    meets = serializers.BooleanField()


class StatisticsLawSerializer(serializers.Serializer):
    name = serializers.CharField()
    title = serializers.CharField()
    jurisdiction = serializers.CharField()
    valid_from = serializers.DateField()
    in_force = serializers.BooleanField(
        source="is_active", help_text="Whether the cases follow this rulebook."
    )
    sources = serializers.ListField(child=serializers.CharField())
    unverified = serializers.IntegerField(help_text="Figures not yet verified against their sources.")
    points = StatisticsLawPointSerializer(many=True)


class LawView(APIView):
    palermo_roles = frozenset(STATISTICS_ROLES)

    @extend_schema(
        summary="The law against the position paper",
        description="Each recommendation of the position paper: what it asks and what the rulebook in force"
        " (or the one named) says, in the caller's language.",
        parameters=[LawQuery],
        responses={200: StatisticsLawSerializer, 400: BAD_REQUEST},
    )
    def get(self, request: Request) -> Response:
        name = checked_query(LawQuery, request.query_params).get("rulebook") or settings.PALERMO_RULEBOOK
        return Response(StatisticsLawSerializer(law(name)).data)


class StatisticsReleaseSerializer(serializers.ModelSerializer):
    class Meta:
        model = Release
        fields = [
            "id",
            "title",
            "snapshot",
            "mechanism",
            "epsilon",
            "delta",
            "threshold",
            "parameters",
            "digest",
            "created_at",
        ]


class StatisticsReleaseDetailSerializer(StatisticsReleaseSerializer):
    class Meta(StatisticsReleaseSerializer.Meta):
        fields = [*StatisticsReleaseSerializer.Meta.fields, "cells"]


class StatisticsReleaseInSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=200)
    snapshot = serializers.DateField()
    tables = serializers.ListField(child=serializers.ChoiceField(choices=[]), min_length=1)
    mechanism = serializers.ChoiceField(choices=Mechanism.choices, default=Mechanism.NONE)
    epsilon = serializers.FloatField(required=False, allow_null=True, min_value=0.01, max_value=50)
    delta = serializers.FloatField(required=False, allow_null=True, min_value=1e-12, max_value=0.1)
    years = serializers.ListField(
        child=serializers.IntegerField(min_value=1901, max_value=2199), required=False
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["tables"].child.choices = sorted(REGISTRY.tables)  # type: ignore[attr-defined]


class ReleasePublish(ActingAction):
    """Publish a release

    Computes the chosen tables as of the snapshot day, protects them, and records the release. With
    differential privacy (laplace or gaussian), `epsilon` is spent against each of `years`' budget; a release
    past a year's budget is refused (400)."""

    input = StatisticsReleaseInSerializer
    output = StatisticsReleaseDetailSerializer
    refusals = {400: BAD_REQUEST}
    created = True

    def perform(self, request: Request, target: Any, data: dict[str, Any]) -> Any:
        parameters = Parameters(
            snapshot=data["snapshot"],
            tables=tuple(data["tables"]),
            threshold=minimum_cell(),
            mechanism=data["mechanism"],
            epsilon=data.get("epsilon"),
            delta=data.get("delta"),
            years=tuple(sorted(set(data.get("years") or ()))),
        )
        return release_publish(**self.acting_as(request), title=data["title"], parameters=parameters)


class ReleaseList(CallerList):
    palermo_roles = frozenset(STATISTICS_ROLES)
    summary = "Recorded releases"
    description = "Every release published, the latest first, 50 a page."
    refusals = {404: api_errors.NO_SUCH_PAGE}
    model = Release
    serializer_class = StatisticsReleaseSerializer

    def listed(self) -> Any:
        return selectors.releases()

    post = ReleasePublish.lent()


class ReleaseDetail(APIView):
    palermo_roles = frozenset(STATISTICS_ROLES)

    @extend_schema(
        summary="One recorded release, with its published cells",
        responses={200: StatisticsReleaseDetailSerializer, 404: NOT_FOUND},
    )
    def get(self, request: Request, pk: int) -> Response:
        release = get_object_or_404(selectors.releases().defer(None), pk=pk)
        return Response(StatisticsReleaseDetailSerializer(release).data)


class EurostatInSerializer(serializers.Serializer):
    year = serializers.IntegerField(min_value=1990, max_value=2199)
    snapshot = serializers.DateField(
        required=False, help_text="Data as of the end of this day (default: today)."
    )


class EurostatRowSerializer(serializers.Serializer):
    indic = serializers.CharField()
    year = serializers.IntegerField()
    sex = serializers.CharField(allow_blank=True)
    age = serializers.CharField(allow_blank=True)
    citizen = serializers.CharField(allow_blank=True)
    exploit = serializers.CharField(allow_blank=True)
    value = serializers.IntegerField(allow_null=True, help_text="Null when withheld (flag `c`).")
    flag = serializers.CharField(allow_blank=True)


class EurostatSerializer(serializers.Serializer):
    release = serializers.IntegerField(help_text="The recorded release the figures are read from.")
    columns = serializers.ListField(child=serializers.CharField())
    codes_verified = serializers.BooleanField(
        help_text="False: Eurostat's codes are not yet checked against a source file of Eurostat's."
    )
    rows = EurostatRowSerializer(many=True)


class EurostatExport(ActingAction):
    """Eurostat's annual trafficking tables for one year

    Publishes and records a release (threshold and complementary suppression over the three tables) and
    answers its rows in Eurostat's codes; a withheld cell has a null value and flag `c`."""

    palermo_roles = frozenset(STATISTICS_ROLES)
    input = EurostatInSerializer
    output = EurostatSerializer
    refusals = {400: BAD_REQUEST}
    created = True

    def perform(self, request: Request, target: Any, data: dict[str, Any]) -> Any:
        snapshot = data.get("snapshot") or timezone.localdate()
        release = eurostat_release(**self.acting_as(request), year=data["year"], snapshot=snapshot)
        rows = [
            {**row, "value": None if row["value"] == "" else row["value"]}
            for row in eurostat_rows(release.cells, data["year"])
        ]
        return {
            "release": release.pk,
            "columns": list(COLUMNS),
            "codes_verified": CODES_VERIFIED,
            "rows": rows,
        }
