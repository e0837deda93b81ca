"""The case timeline in the API: every event in time order, at the tiers the caller may read."""

from __future__ import annotations

from django.db.models import QuerySet
from drf_spectacular.utils import OpenApiResponse
from rest_framework import serializers
from rest_framework.pagination import PageNumberPagination

from palermo.cases.endpoints import CaseRecordList
from palermo.cases.models import Case, CaseEvent
from palermo.cases.selectors import case_timeline


class CaseEventSerializer(serializers.ModelSerializer):
    actor_username = serializers.CharField(source="actor.username", read_only=True, allow_null=True)
    agency_name = serializers.CharField(source="agency.name", read_only=True, allow_null=True)

    class Meta:
        model = CaseEvent
        fields = [
            "id",
            "kind",
            "tier",
            "summary",
            "occurred_at",
            "actor",
            "actor_username",
            "agency",
            "agency_name",
            "object_type",
            "object_id",
        ]
        read_only_fields = fields


class TimelinePagination(PageNumberPagination):
    page_size = 100


class Timeline(CaseRecordList):
    summary = "Timeline of a case"
    description = (
        "Every event on the case, oldest first. Events above the tiers the caller may read are left out "
        "entirely."
    )
    not_found = OpenApiResponse(description="No such case, or not visible to the caller.")
    model = CaseEvent
    serializer_class = CaseEventSerializer
    pagination_class = TimelinePagination

    def records(self, case: Case, tiers: frozenset[int]) -> QuerySet[CaseEvent]:
        return case_timeline(case, tiers)
