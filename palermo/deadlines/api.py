"""Deadlines in the API: the "due and overdue" list with the screen's scope, and filters by status, kind,
case reference, and the case's form of exploitation, lead agency and child or adult; the same deadlines
counted by urgency and by kind, and listed by case. Only deadlines on open cases the caller may see. The
person's name (`person_name`) is given where the caller may read identity (T2), and that read is recorded
in the audit log like any other; elsewhere it is null.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from palermo.accounts.active import acting
from palermo.accounts.endpoints import ActingAction
from palermo.cases.api_values import CaseFacetQuerySerializer
from palermo.cases.lists import NamedWorklist
from palermo.cases.web import API_ROLES
from palermo.core.api_answers import AnswerModelSerializer
from palermo.core.api_errors import BAD_REQUEST, NO_SUCH_PAGE, error_response
from palermo.deadlines import selectors
from palermo.deadlines.kinds import kind_for, registered_kinds
from palermo.deadlines.models import Deadline
from palermo.deadlines.selectors import (
    Day,
    Scope,
    Status,
    due_deadlines,
    is_another_agency_s,
    open_deadline_of,
)
from palermo.deadlines.services import deadline_mark_done


class DeadlineQuerySerializer(CaseFacetQuerySerializer):
    """The query parameters (validated: a bad value is a 400 with the reason)."""

    scope = serializers.ChoiceField(
        choices=Scope.choices,
        default=Scope.MINE,
        help_text=(
            "mine: the caller's own, their named cases', and the decisions their role takes for their "
            "agency; agency: the acting agency's."
        ),
    )
    status = serializers.ChoiceField(
        choices=Status.choices,
        required=False,
        help_text="overdue, due_soon (today and the next 7 days), open, done; omitted: all.",
    )
    kind = serializers.CharField(required=False, max_length=60, help_text="A deadline kind key.")
    case = serializers.CharField(required=False, max_length=40, help_text="A case reference.")

    def validate_kind(self, value: str) -> str:
        """A kind some area registered: a typo is refused, not answered with an empty list."""
        if value not in {kind.key for kind in registered_kinds()}:
            raise serializers.ValidationError(_("Not one of the allowed values."), code="invalid_choice")
        return value


class DeadlineSerializer(AnswerModelSerializer):
    case = serializers.CharField(source="case.reference", read_only=True)
    kind_label = serializers.SerializerMethodField()
    urgency = serializers.SerializerMethodField()
    days_over = serializers.SerializerMethodField()
    responsible_agency_name = serializers.CharField(
        source="responsible_agency.name", read_only=True, allow_null=True, default=None
    )
    responsible_username = serializers.CharField(
        source="responsible_user.username", read_only=True, allow_null=True, default=None
    )
    responsible_display_name = serializers.CharField(
        source="responsible_user.display_name", read_only=True, allow_null=True, default=None
    )
    person_name = serializers.SerializerMethodField(
        help_text="The name of the case's person, where the caller may read identity (a recorded read); "
        "else null."
    )
    for_another_agency = serializers.SerializerMethodField(
        help_text="Another agency is responsible, not the caller by name: on a case the caller is named on, "
        "theirs to know of, not to do (the home page lists these apart)."
    )

    class Meta:
        model = Deadline
        fields = [
            "id",
            "case",
            "kind",
            "kind_label",
            "due_at",
            "done_at",
            "urgency",
            "days_over",
            "responsible_agency",
            "responsible_agency_name",
            "responsible_user",
            "responsible_username",
            "responsible_display_name",
            "person_name",
            "for_another_agency",
        ]

    def _day(self) -> Day:
        day = self.context.get("day")
        return day if isinstance(day, Day) else Day.of()

    def get_kind_label(self, deadline: Deadline) -> str:
        return str(kind_for(deadline.kind).label)

    def get_urgency(self, deadline: Deadline) -> str:
        """overdue, today, week, later or done."""
        return str(self._day().bucket(deadline))

    def get_days_over(self, deadline: Deadline) -> int:
        return self._day().days_over(deadline)

    def get_person_name(self, deadline: Deadline) -> str | None:
        return self.context.get("names", {}).get(deadline.case_id)

    def get_for_another_agency(self, deadline: Deadline) -> bool:
        request = self.context.get("request")
        return request is not None and is_another_agency_s(deadline, acting(request).membership)


def filtered(request: Request, day: Day) -> QuerySet[Deadline]:
    """The caller's open or done deadlines the query string asks for (a bad value: 400, the one shape)."""
    query = DeadlineQuerySerializer(data=request.query_params)
    query.is_valid(raise_exception=True)
    _, membership = acting(request)
    params = query.validated_data
    return due_deadlines(
        membership,
        scope=params["scope"],
        status=params.get("status", ""),
        kind=params.get("kind", ""),
        reference=params.get("case", ""),
        case_ids=query.case_ids(),
        day=day,
    )


class DeadlineList(NamedWorklist):
    palermo_roles = API_ROLES
    summary = "Due and overdue deadlines"
    description = (
        "Deadlines on cases the caller may see, soonest first, 50 a page, each with the person's name "
        "where the caller may read identity (a recorded read): the caller's own (responsible, "
        "or named on the case team) or, with scope=agency, the acting agency's (responsible, lead agency "
        "or on the team). A closed case's deadlines are paused: left out whatever the status, kept as "
        "they were, and listed again when the case is re-opened. Urgency is by calendar day in the "
        "deployment's time zone."
    )
    query = DeadlineQuerySerializer
    refusals = {400: BAD_REQUEST, 404: NO_SUCH_PAGE}
    serializer_class = DeadlineSerializer
    model = Deadline

    def listed(self) -> QuerySet[Deadline]:
        return filtered(self.request, self.day)

    def case_id(self, row: Deadline) -> int:
        return row.case_id

    def shown(self, page: list[Deadline], names: dict[int, str]) -> Any:
        context = {**self.get_serializer_context(), "names": names}
        return DeadlineSerializer(page, many=True, context=context).data

    @property
    def day(self) -> Day:
        if not hasattr(self, "_day"):
            self._day = Day.of()
        return self._day

    def get_serializer_context(self) -> dict:
        return {**super().get_serializer_context(), "day": self.day}


class DeadlineMarkDone(ActingAction):
    """Mark a task dealt with

    For a task that no record settles (its kind says so, e.g. a removal look-up came close to a person): one
    of the acting agency's open deadlines (responsible, lead agency or on the team) is done; the case's
    timeline and audit record say who marked it. A deadline settled by a record (a decision, a permit)
    answers 400."""

    palermo_roles = API_ROLES
    output = DeadlineSerializer
    refusals = {
        400: BAD_REQUEST,
        404: error_response(
            "No such open deadline of the caller's agency (or not visible: the same answer)."
        ),
    }
    service = deadline_mark_done

    def target(self, request: Request, **ids: Any) -> Any:
        return open_deadline_of(acting(request).membership, ids["pk"])


class UrgencyCountsSerializer(serializers.Serializer):
    overdue = serializers.IntegerField(help_text="Open and past their due day.")
    today = serializers.IntegerField(help_text="Open and due today.")
    week = serializers.IntegerField(help_text="Open and due in the next 7 days, after today.")
    total = serializers.IntegerField(help_text="Every deadline listed (open ones: with status=open).")


class KindCountsSerializer(UrgencyCountsSerializer):
    kind = serializers.CharField()
    kind_label = serializers.CharField()
    first_due = serializers.DateTimeField()


class DeadlineCountsSerializer(UrgencyCountsSerializer):
    by_kind = KindCountsSerializer(many=True)


class CaseCountsSerializer(UrgencyCountsSerializer):
    case = serializers.CharField(help_text="The case reference.")
    person_name = serializers.CharField(
        allow_null=True, help_text="Where the caller may read identity (a recorded read); else null."
    )
    first_due = serializers.DateTimeField(help_text="The soonest due of the case's deadlines listed.")


WORKLIST_FILTERS = (
    "The filters of the deadline list (scope, status, kind, case, exploitation, agency, child) select the "
    "deadlines counted. "
)


@extend_schema(
    summary="Deadlines counted by urgency and by kind",
    description=WORKLIST_FILTERS + "The kinds are listed the one with the soonest deadline first.",
    parameters=[DeadlineQuerySerializer],
    responses={200: DeadlineCountsSerializer, 400: BAD_REQUEST},
)
class DeadlineCounts(APIView):
    palermo_roles = API_ROLES

    def get(self, request: Request) -> Response:
        day = Day.of()
        deadlines = filtered(request, day)
        kinds = [
            {**item, "kind_label": str(kind_for(item["kind"]).label)}
            for item in selectors.counts_by_kind(deadlines, day)
        ]
        return Response(
            DeadlineCountsSerializer({**selectors.urgency_counts(deadlines, day), "by_kind": kinds}).data
        )


class DeadlineCases(NamedWorklist):
    palermo_roles = API_ROLES
    summary = "Deadlines by case"
    description = WORKLIST_FILTERS + "One row per case, the case with the soonest deadline first, 50 a page."
    query = DeadlineQuerySerializer
    refusals = {400: BAD_REQUEST, 404: NO_SUCH_PAGE}
    serializer_class = CaseCountsSerializer
    model = Deadline

    def listed(self) -> Any:
        day = Day.of()
        return selectors.counts_by_case(filtered(self.request, day), day)

    def case_id(self, row: dict[str, Any]) -> int:
        return row["case_id"]

    def shown(self, page: list[dict[str, Any]], names: dict[int, str]) -> Any:
        rows = [
            {**item, "case": item["case__reference"], "person_name": names.get(item["case_id"])}
            for item in page
        ]
        return CaseCountsSerializer(rows, many=True).data
