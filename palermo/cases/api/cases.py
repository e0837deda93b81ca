"""Cases in the API: My cases, search with the screen's filters, and one case at the caller's tiers.

The same selectors as the screens: every list starts from `cases_visible_to`, a case comes from `case_for`
(404 for missing or forbidden alike), and a search by name is recorded in the audit log. A name or a birth
date is sent only in the body of `POST cases/search/`, never in a URL (URLs are kept in logs).
"""

from __future__ import annotations

from typing import Any, cast

from django.db.models import QuerySet
from django.urls import reverse
from django_filters.rest_framework import DjangoFilterBackend
from django_filters.utils import translate_validation
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.generics import GenericAPIView
from rest_framework.request import Request
from rest_framework.response import Response

from palermo.access import limits
from palermo.access.selectors import case_team_entries, cases_visible_to
from palermo.access.tiered import Tiered, Withheld
from palermo.accounts.active import acting
from palermo.accounts.models import Membership
from palermo.cases.endpoints import CaseRead, Reading
from palermo.cases.filters import (
    CHILD_CHOICES,
    DEADLINE_CHOICES,
    CaseFilter,
    CaseMetadataFilter,
    carries_identity,
    deadline_kind_choices,
)
from palermo.cases.lists import ActingAgencyList
from palermo.cases.models import Case, Phase
from palermo.cases.reference import CaseStatus, ClosureReason, ExploitationForm
from palermo.cases.selectors import (
    case_list_queryset,
    my_cases,
)
from palermo.cases.services.lifecycle import transitions_for
from palermo.cases.web import API_ROLES, NOT_FOUND
from palermo.cases.worklist import CaseOrder, attach_next_deadlines, in_order
from palermo.core.api_answers import AnswerModelSerializer
from palermo.core.api_errors import BAD_REQUEST, NO_SUCH_PAGE, error_response
from palermo.core.api_lists import CallerList
from palermo.core.api_records import related_values


class CaseSerializer(AnswerModelSerializer):
    """A case's T1 metadata: what every list shows."""

    lead_agency_name = serializers.CharField(source="lead_agency.name", read_only=True)
    # Empty while the case is open.
    closure_reason = serializers.ChoiceField(choices=ClosureReason.choices, allow_blank=True, read_only=True)
    exploitation_forms = serializers.SerializerMethodField()

    class Meta:
        model = Case
        fields = [
            "reference",
            "phase",
            "status",
            "lead_agency",
            "lead_agency_name",
            "is_child",
            "opened_at",
            "closed_at",
            "closure_reason",
            "exploitation_forms",
            "version",
        ]

    get_exploitation_forms = related_values("exploitation_forms", "form")


class NextDeadlineSerializer(serializers.Serializer):
    """A case's soonest open deadline that the caller may see (palermo.cases.worklist)."""

    kind = serializers.CharField(help_text="The kind's key, as /api/v1/deadlines/ names it.")
    kind_label = serializers.CharField(source="label", help_text="What is due, in the caller's language.")
    due = serializers.DateField()
    days_left = serializers.IntegerField(
        help_text="Days until it is due: 0 on the day, negative when overdue."
    )


class CaseListSerializer(CaseSerializer):
    """A case in a list: its metadata and what is due next on it."""

    next_deadline = NextDeadlineSerializer(
        read_only=True,
        allow_null=True,
        help_text="The soonest open deadline the caller may see (another agency's duty left out); null when "
        "nothing is open.",
    )

    class Meta(CaseSerializer.Meta):
        fields = [*CaseSerializer.Meta.fields, "next_deadline"]


class NextDeadlinesOnThePage(GenericAPIView):
    """A list of cases whose page's rows carry their next deadline (one query for the page)."""

    def paginate_queryset(self, queryset: Any) -> list[Any] | None:
        page = super().paginate_queryset(queryset)
        return None if page is None else attach_next_deadlines(list(page), acting(self.request)[1])


class TeamMemberSerializer(serializers.Serializer):
    """A team entry as the caller may see it (`team_row`): an entry naming a safe house's provider or a
    health service the caller may not read has its agency and person null (decision 0020)."""

    agency = serializers.IntegerField(allow_null=True)
    agency_name = serializers.CharField(allow_null=True)
    agency_withheld = serializers.CharField(
        allow_null=True, help_text="The tier at which the entry is withheld from the caller; null when shown."
    )
    user = serializers.IntegerField(allow_null=True)


def team_row(entry: Tiered[Any]) -> dict[str, Any]:
    if isinstance(entry.agency, Withheld):  # false, like every hidden value: test its type
        return {"agency": None, "agency_name": None, "agency_withheld": entry.agency.tier.code, "user": None}
    return {
        "agency": entry.agency_id,
        "agency_name": entry.agency.name,
        "agency_withheld": None,
        "user": entry.user_id,
    }


class CaseDetailSerializer(CaseSerializer):
    tiers = serializers.ListField(child=serializers.IntegerField(), read_only=True)
    transitions = serializers.ListField(child=serializers.CharField(), read_only=True)
    team = TeamMemberSerializer(many=True, read_only=True)

    class Meta(CaseSerializer.Meta):
        fields = [*CaseSerializer.Meta.fields, "tiers", "transitions", "team"]


def case_detail_data(request: Request, case: Case, tiers: frozenset[int]) -> dict[str, Any]:
    _, membership = acting(request)
    case.tiers = sorted(tiers)  # type: ignore[attr-defined]
    case.transitions = [t.name for t in transitions_for(membership, case)]  # type: ignore[attr-defined]
    case.team = [team_row(Tiered(entry, tiers)) for entry in case_team_entries(case)]  # type: ignore[attr-defined]
    return CaseDetailSerializer(case).data  # type: ignore[return-value]


def visible_cases(request: Request) -> QuerySet[Case]:
    """The cases the caller may see, newest first: where every search starts."""
    _, membership = acting(request)
    return case_list_queryset(cases_visible_to(membership)).order_by("-opened_at", "-pk")


class CaseList(NextDeadlinesOnThePage, CallerList):
    summary = "List cases"
    description = (
        "Cases the caller may see, newest first, 50 a page, filtered like the search screen by the case's "
        "metadata. A name or a birth date in the query string is refused (400): search by name with POST "
        "/api/v1/cases/search/, which keeps them out of URLs."
    )
    refusals = {400: BAD_REQUEST, 404: NO_SUCH_PAGE}
    palermo_roles = API_ROLES
    serializer_class = CaseListSerializer
    filter_backends = [DjangoFilterBackend]
    filterset_class = CaseMetadataFilter
    model = Case

    def listed(self) -> QuerySet[Case]:
        return visible_cases(self.request)

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        if carries_identity(request.query_params):
            reason = (
                "A name or a birth date is not accepted in a URL (URLs are kept in logs and browser "
                f"history): send the search in the JSON body of POST {reverse('api-cases-search')}."
            )
            raise serializers.ValidationError(reason)
        return super().list(request, *args, **kwargs)


class CaseSearchSerializer(serializers.Serializer):
    """A search's criteria, those of the case list and the person's identity; each one left out does not
    filter."""

    reference = serializers.CharField(required=False, allow_blank=True, help_text="Exact, in any case.")
    status = serializers.ChoiceField(choices=CaseStatus.choices, required=False)
    phase = serializers.ChoiceField(choices=Phase.choices, required=False)
    agency = serializers.IntegerField(required=False, help_text="The lead agency (an active agency's id).")
    exploitation = serializers.ChoiceField(choices=ExploitationForm.choices, required=False)
    deadline = serializers.ChoiceField(
        choices=DEADLINE_CHOICES,
        required=False,
        help_text="An open deadline overdue, or due within 7 days.",
    )
    deadline_kind = serializers.ChoiceField(choices=[], required=False, help_text="An open deadline's kind.")
    child = serializers.ChoiceField(choices=CHILD_CHOICES, required=False)
    name = serializers.CharField(
        required=False,
        allow_blank=True,
        help_text="The full name, in any script or in Latin letters; matched exactly, in any word order.",
    )
    birth_date = serializers.DateField(required=False, help_text="With a name only.")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The kinds the installed areas registered at start-up, not those known when this module loaded.
        cast(serializers.ChoiceField, self.fields["deadline_kind"]).choices = deadline_kind_choices()


class CaseSearch(NextDeadlinesOnThePage, GenericAPIView):
    palermo_roles = API_ROLES
    serializer_class = CaseListSerializer

    @extend_schema(
        summary="Search cases",
        description=(
            "Cases the caller may see, newest first, 50 a page (the page number in the query string), "
            "matching every criterion given in the body: those of the case list, and the person's full name "
            "(exact, through the blind index) with an optional birth date, matched only in the cases whose "
            "identity (T2) the caller may read. A search by name is rate-limited per person (429 with "
            "Retry-After past it) and recorded in "
            "the audit log with the references found, never the name."
        ),
        request=CaseSearchSerializer,
        responses={
            200: CaseListSerializer(many=True),
            400: BAD_REQUEST,
            404: NO_SUCH_PAGE,
            429: error_response("Too many searches by name by this caller; Retry-After says when."),
        },
    )
    def post(self, request: Request) -> Response:
        criteria = CaseSearchSerializer(data=request.data)
        criteria.is_valid(raise_exception=True)
        _, membership = acting(request)
        search = CaseFilter(criteria.validated_data, queryset=visible_cases(request), searcher=membership)
        if not search.is_valid():
            raise translate_validation(search.errors)
        if search.searches_by_name:
            limits.check(request, door="name_search")  # past the rate: 429 with Retry-After
        # A name search's rows are recorded as that search when read (`recorded_as_name_search`).
        page = self.paginate_queryset(search.qs)
        return self.get_paginated_response(CaseListSerializer(page, many=True).data)


class CaseOrderQuery(serializers.Serializer):
    order = serializers.ChoiceField(
        choices=CaseOrder.choices,
        required=False,
        default=CaseOrder.NEWEST,
        help_text=(
            "`newest`: the newest case first (the default). `next_deadline`: the soonest `next_deadline` "
            "first, the overdue before the rest; cases with nothing open last, newest first among them."
        ),
    )


class MyCaseList(NextDeadlinesOnThePage, ActingAgencyList):
    palermo_roles = API_ROLES
    summary = "My cases"
    description = "Cases the caller's agency leads or where the caller or their agency is on the team."
    serializer_class = CaseListSerializer
    model = Case
    query = CaseOrderQuery
    refusals = {400: BAD_REQUEST, 404: NO_SUCH_PAGE}

    def rows(self, membership: Membership) -> QuerySet[Case]:
        asked = CaseOrderQuery(data=self.request.query_params)
        asked.is_valid(raise_exception=True)
        return in_order(my_cases(membership), membership, asked.validated_data["order"])


class CaseDetail(CaseRead):
    reading = Reading(
        "One case",
        CaseDetailSerializer,
        "The case's metadata, the tiers the caller may read on it, the lifecycle transitions the caller may "
        "apply now, and the case team. 404 for a case that does not exist or that the caller may not see.",
    )
    refusals = {404: NOT_FOUND}

    def read(self, case: Case, tiers: frozenset[int], **ids: Any) -> Any:
        return case_detail_data(self.request, case, tiers)
