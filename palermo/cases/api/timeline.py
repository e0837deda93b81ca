"""The case timeline in the API: every event in time order, at the tiers the caller may read."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import OpenApiResponse
from rest_framework.pagination import PageNumberPagination

from palermo.access.serializers import AgencyWithheld, TieredModelSerializer
from palermo.access.tiered import redact_all
from palermo.accounts.active import acting
from palermo.cases.duties import timeline_kinds_hidden_from
from palermo.cases.endpoints import CaseRecordList
from palermo.cases.models import Case, CaseEvent
from palermo.cases.selectors import case_timeline
from palermo.core.api_records import user_named


class CaseEventSerializer(user_named("actor", nullable=True), AgencyWithheld, TieredModelSerializer):  # type: ignore[misc]
    """An entry; who wrote it is null when it names a safe house's provider or a health service the caller may
    not read (`agency_withheld`; decision 0020)."""

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
            "actor_display_name",
            "agency",
            "agency_name",
            "agency_withheld",
            "object_type",
            "object_id",
        ]


class TimelinePagination(PageNumberPagination):
    page_size = 100


class Timeline(CaseRecordList):
    summary = "Timeline of a case"
    description = (
        "Every event on the case, oldest first. Events above the tiers the caller may read are left out "
        "entirely."
    )
    refusals = {404: OpenApiResponse(description="No such case, or not visible to the caller.")}
    model = CaseEvent
    serializer_class = CaseEventSerializer
    pagination_class = TimelinePagination

    def records(self, case: Case, tiers: frozenset[int]) -> QuerySet[CaseEvent]:
        _user, membership = acting(self.request)
        return case_timeline(case, tiers, timeline_kinds_hidden_from(membership))

    def get_serializer_context(self) -> dict[str, Any]:
        return {**super().get_serializer_context(), "tiers": getattr(self, "tiers", frozenset())}

    def shown(self, page: list[Any]) -> None:
        """A writer named at T3/T4 (a safe house's provider, a health service) is a read at that tier."""
        _user, membership = acting(self.request)
        redact_all(page, tiers=self.tiers, membership=membership, case=self.case, action="timeline.read")
