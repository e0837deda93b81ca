"""The duplicate review in the API: start a run and follow its progress, the queue, one pair side by side
(each person at the caller's tiers on its own case: hidden fields null), the decision, and unmerge."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import serializers
from rest_framework.generics import ListAPIView
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from palermo.access.serializers import TieredModelSerializer
from palermo.accounts.active import acting
from palermo.accounts.endpoints import ActingAction
from palermo.accounts.models import Membership
from palermo.cases.models import Person
from palermo.cases.services.person import IDENTITY_KEYED
from palermo.core.api_errors import BAD_REQUEST, error_response
from palermo.linkage import selectors as reads
from palermo.linkage.models import Candidate, LinkageRun, PersonMerge
from palermo.linkage.services import duplicates as review

ROLES = frozenset(review.REVIEWERS)
NOT_FOUND = error_response("No such record, or not one the caller may review.")


class RunSerializer(serializers.ModelSerializer):
    class Meta:
        model = LinkageRun
        fields = [
            "id",
            "status",
            "progress",
            "stage",
            "persons",
            "candidates",
            "seconds",
            "created_at",
            "finished_at",
        ]
        read_only_fields = fields


class CandidateRowSerializer(serializers.ModelSerializer):
    left_case = serializers.CharField(source="left.case.reference")
    right_case = serializers.CharField(source="right.case.reference")

    class Meta:
        model = Candidate
        fields = ["id", "version", "probability", "status", "left_case", "right_case"]
        read_only_fields = fields


class PersonSideSerializer(TieredModelSerializer):
    """A person as the caller may read it on its case: fields above the caller's tiers are null."""

    class Meta:
        model = Person
        fields = ["id", *sorted(IDENTITY_KEYED), "gender", "age_group"]


class MergeSerializer(serializers.ModelSerializer):
    kept_case = serializers.CharField(source="kept.case.reference")
    merged_case = serializers.CharField(source="merged.case.reference")

    class Meta:
        model = PersonMerge
        fields = ["id", "kept_case", "merged_case", "merged_at", "undone_at"]
        read_only_fields = fields


class DecisionSerializer(serializers.Serializer):
    same = serializers.BooleanField(help_text="True: the same person (merge); false: different persons.")
    expected_version = serializers.IntegerField(min_value=1)


def _side(side: Any) -> dict[str, Any]:
    return {
        "case": side.case.reference,
        "tiers": sorted(side.tiers),
        "person": PersonSideSerializer(side.person.record, context={"tiers": side.tiers}).data,
    }


class Runs(APIView):
    palermo_roles = ROLES

    @extend_schema(
        summary="The latest duplicate-detection run",
        description="204 when no run has been started yet.",
        responses={200: RunSerializer, 204: OpenApiResponse(description="No run yet.")},
    )
    def get(self, request: Request) -> Response:
        run = reads.latest_run()
        if run is None:
            return Response(status=204)
        return Response(RunSerializer(run).data)

    @extend_schema(
        summary="Start a duplicate-detection run",
        description="Runs in the background; GET follows its progress. 400 while another run is under way.",
        request=None,
        responses={202: RunSerializer, 400: BAD_REQUEST},
    )
    def post(self, request: Request) -> Response:
        user, membership = acting(request)
        run = review.linkage_run_start(actor=user, membership=membership)
        return Response(RunSerializer(run).data, status=202)


# No docstring: drf-spectacular would show it as the description of both lists.
class _ReviewList(ListAPIView):
    # A list of the review, read by `rows(membership)` for the membership the caller acts through.
    palermo_roles = ROLES
    rows: Any = None

    def get_queryset(self) -> Any:
        return type(self).rows(acting(self.request).membership)


def _review_list(
    name: str, summary: str, serializer: type[serializers.Serializer], rows: Callable[[Membership], Any]
) -> type[_ReviewList]:
    """A list of the review, declared by its summary, its rows' serializer and its selector."""
    view = type(name, (_ReviewList,), {"serializer_class": serializer, "rows": staticmethod(rows)})
    return extend_schema_view(get=extend_schema(summary=summary))(view)


CandidateList = _review_list(
    "CandidateList", "Pairs to review, most likely first", CandidateRowSerializer, reads.review_queue
)


class CandidateDetail(APIView):
    palermo_roles = ROLES

    @extend_schema(summary="One pair, side by side", responses={200: dict, 404: NOT_FOUND})
    def get(self, request: Request, candidate_id: int) -> Response:
        _, membership = acting(request)
        candidate = reads.candidate_for(membership, candidate_id)
        left, right = reads.candidate_sides(membership, candidate)
        return Response(
            {**CandidateRowSerializer(candidate).data, "left": _side(left), "right": _side(right)}
        )


class CandidateDecision(ActingAction):
    summary = "Decide on a pair: the same person (merge) or different persons"
    palermo_roles = ROLES
    input = DecisionSerializer
    output = CandidateRowSerializer
    refusals = {
        400: BAD_REQUEST,
        404: NOT_FOUND,
        409: error_response("Someone decided first; `current` holds the pair now."),
    }
    service = review.candidate_decide

    def target(self, request: Request, **ids: Any) -> Any:
        return reads.candidate_for(acting(request).membership, ids["candidate_id"])

    def perform(self, request: Request, target: Any, data: dict[str, Any]) -> Any:
        super().perform(request, target, data)
        return target

    def answer(self, request: Request, result: Any) -> Any:
        return CandidateRowSerializer(reads.candidate_for(acting(request).membership, result.pk)).data


MergeList = _review_list("MergeList", "Merges in force", MergeSerializer, reads.merges_listed)


class MergeUndo(ActingAction):
    summary = "Undo a merge"
    palermo_roles = ROLES
    output = MergeSerializer
    refusals = {404: NOT_FOUND}
    service = review.person_unmerge

    def target(self, request: Request, **ids: Any) -> Any:
        return reads.merge_for(acting(request).membership, ids["merge_id"])
