"""The access API: emergency (break-glass) access, its review by data protection officers, and the case
team. The same services and selectors as the screens, and the same neutral answer for a reference that
opens nothing."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db.models import QuerySet
from django.http import Http404
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_field
from rest_framework import serializers
from rest_framework.exceptions import NotFound
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from palermo.access import policy, services
from palermo.access.matrix import break_glass_roles
from palermo.access.models import BreakGlassGrant, CaseTeamMember, case_model
from palermo.access.selectors import (
    break_glass_grant_visible,
    break_glass_grants_visible,
    break_glass_reads,
    case_for,
    case_team_entries,
)
from palermo.access.serializers import TieredModelSerializer, WithheldField
from palermo.access.tiers import Tier
from palermo.access.web import NOT_AVAILABLE, TEAM_ROLES
from palermo.accounts.active import acting
from palermo.accounts.endpoints import ActingAction
from palermo.accounts.models import Agency, Membership, User
from palermo.accounts.roles import Role
from palermo.core.api_answers import AnswerModelSerializer
from palermo.core.api_lists import CallerList

if TYPE_CHECKING:
    from palermo.cases.models import Case


# --- emergency access ---


class BreakGlassRequestSerializer(serializers.Serializer):
    case_reference = serializers.CharField(max_length=30)
    reason = serializers.CharField(min_length=services.BREAK_GLASS_REASON_MIN, max_length=services.REASON_MAX)


class BreakGlassGrantSerializer(AnswerModelSerializer):
    case_reference = serializers.CharField(source="case.reference", read_only=True)

    class Meta:
        model = BreakGlassGrant
        fields = ["id", "case_reference", "granted_at", "expires_at"]


class BreakGlassOpen(ActingAction):
    """Open emergency (break-glass) access

    Emergency access to one case for the active rulebook's hours (`access.break_glass_hours`), with a
    written reason of at least 20 characters. The access, and any attempt that opens nothing, is recorded in
    the audit log; case managers on the team and the lead agency's data protection officers are told by
    email. A case that does not exist and one the caller may not open answer alike (404). Not available to
    the rapporteur or the system administrator."""

    palermo_roles = break_glass_roles()
    input = BreakGlassRequestSerializer
    output = BreakGlassGrantSerializer
    refusals = {
        400: OpenApiResponse(description="Invalid input (reason missing or too short)."),
        404: OpenApiResponse(description="No case with that reference is available to the caller."),
    }
    created = True

    def perform(self, request: Request, target: Any, data: dict[str, Any]) -> Any:
        user, membership = acting(request)
        reference = data["case_reference"].strip().upper()
        case = case_model().objects.filter(reference=reference).first()
        if case is None or not services.may_open_break_glass(membership, case):
            services.break_glass_refusal_record(
                actor=user, membership=membership, typed_reference=reference, case=case
            )
            raise NotFound(str(NOT_AVAILABLE))
        return services.break_glass_open(actor=user, membership=membership, case=case, reason=data["reason"])


class OpenedReadSerializer(serializers.Serializer):
    section = serializers.CharField(help_text="The kind of record read (person, note, identification...).")
    tier = serializers.CharField(help_text="The highest tier shown: T2, T3 or T4.")


class BreakGlassReportSerializer(AnswerModelSerializer):
    username = serializers.CharField(source="membership.user.username", read_only=True)
    role = serializers.CharField(source="membership.role", read_only=True)
    agency = serializers.IntegerField(source="membership.agency_id", read_only=True)
    agency_name = serializers.CharField(source="membership.agency.name", read_only=True)
    case_reference = serializers.CharField(source="case.reference", read_only=True)
    reviewed = serializers.BooleanField(source="is_reviewed", read_only=True)
    reviewed_by = serializers.CharField(source="reviewed_by.username", allow_null=True, read_only=True)
    opened = serializers.SerializerMethodField(
        help_text=(
            "What the holder read on the case while the grant was in force, from the audit log's read "
            "events: each section with the highest tier shown (T2-T4), highest first."
        )
    )

    class Meta:
        model = BreakGlassGrant
        fields = [
            "id",
            "username",
            "role",
            "agency",
            "agency_name",
            "case_reference",
            "reason",
            "granted_at",
            "expires_at",
            "reviewed",
            "reviewed_by",
            "reviewed_at",
            "opened",
        ]

    @extend_schema_field(OpenedReadSerializer(many=True))
    def get_opened(self, grant: BreakGlassGrant) -> list[dict[str, str]]:
        known = self.context.get("opened")
        if known is None or grant.pk not in known:
            known = break_glass_reads([grant])
        found = known[grant.pk]
        return [{"section": read.section, "tier": read.tier.code} for read in found]


class BreakGlassReport(CallerList):
    summary = "Emergency accesses to review"
    description = (
        "Break-glass grants within the data protection officer's oversight, newest first: every one for a "
        "national DPO; for an agency DPO, those on cases the agency leads or works on and those its members "
        "opened."
    )
    palermo_roles = frozenset({Role.DATA_PROTECTION_OFFICER})
    serializer_class = BreakGlassReportSerializer
    model = BreakGlassGrant

    def listed(self) -> QuerySet[BreakGlassGrant]:
        _, membership = acting(self.request)
        return break_glass_grants_visible(membership)

    def paginate_queryset(self, queryset: Any) -> Any:
        page = super().paginate_queryset(queryset)
        self.opened = break_glass_reads(page if page is not None else queryset)
        return page

    def get_serializer_context(self) -> dict[str, Any]:
        return {**super().get_serializer_context(), "opened": getattr(self, "opened", None)}


class BreakGlassReview(ActingAction):
    """Mark an emergency access reviewed

    Recorded in the audit log. Never one's own; a grant reviewed once stays reviewed."""

    palermo_roles = frozenset({Role.DATA_PROTECTION_OFFICER})
    output = BreakGlassReportSerializer
    refusals = {
        400: OpenApiResponse(description="Already reviewed, or the caller's own."),
        404: OpenApiResponse(description="No such grant within the caller's oversight."),
    }
    service = services.break_glass_review

    def target(self, request: Request, **ids: Any) -> Any:
        return break_glass_grant_visible(acting(request).membership, ids["grant_id"])

    def answer(self, request: Request, result: Any) -> Any:
        shown = break_glass_grants_visible(acting(request).membership).get(pk=result.pk)
        return BreakGlassReportSerializer(shown).data


# --- the case team ---


class TeamEntrySerializer(TieredModelSerializer):
    """A team entry; the agency and person are null when they name a safe house's provider or a health
    service the caller may not read (`agency_withheld` says at which tier; decision 0020)."""

    agency_name = serializers.CharField(source="agency.name", read_only=True)
    username = serializers.CharField(source="user.username", allow_null=True, read_only=True)
    display_name = serializers.CharField(source="user.display_name", allow_null=True, read_only=True)
    agency_withheld = WithheldField("agency")

    class Meta:
        model = CaseTeamMember
        fields = [
            "id",
            "agency",
            "agency_name",
            "agency_withheld",
            "user",
            "username",
            "display_name",
            "added_at",
        ]


class TeamChangeSerializer(serializers.Serializer):
    agency = serializers.PrimaryKeyRelatedField(queryset=Agency.objects.filter(is_active=True))
    user = serializers.PrimaryKeyRelatedField(queryset=User.objects.all(), allow_null=True, required=False)
    reason = serializers.CharField(max_length=services.REASON_MAX)


def _team_response(case: Case, membership: Membership) -> Response:
    context = {"tiers": policy.tiers_allowed(membership, case)}
    return Response(TeamEntrySerializer(case_team_entries(case), many=True, context=context).data)


TEAM_NOT_FOUND = OpenApiResponse(
    description="No such case for the caller, or the caller may not change its team."
)


# No docstring: drf-spectacular would show it as the description of each change.
class TeamChange(ActingAction):
    # A change of the team of a case the caller sees, by those the matrix lets manage it (404 for anyone
    # else), answered with the team.
    palermo_roles = frozenset(TEAM_ROLES)
    input = TeamChangeSerializer
    output = TeamEntrySerializer(many=True)

    def target(self, request: Request, **ids: Any) -> Any:
        membership = acting(request).membership
        case = case_for(membership, ids["reference"], Tier.METADATA)
        if not policy.can_manage_team(membership, case):
            raise Http404
        return case

    def perform(self, request: Request, target: Any, data: dict[str, Any]) -> Any:
        super().perform(request, target, data)
        return target

    def answer(self, request: Request, result: Any) -> Any:
        return _team_response(result, acting(request).membership).data


class CaseTeamAdd(TeamChange):
    """Add to the case team

    An agency as a whole (no `user`) or one person acting for it. Recorded in the audit log."""

    refusals = {
        400: OpenApiResponse(description="Invalid input, or already on the team."),
        404: TEAM_NOT_FOUND,
    }
    created = True
    service = services.case_team_add


class CaseTeam(APIView):
    """The case team: read by whoever sees the case; changed by those the matrix lets manage it."""

    palermo_roles = frozenset(TEAM_ROLES)

    @extend_schema(summary="Case team", responses={200: TeamEntrySerializer(many=True)})
    def get(self, request: Request, reference: str) -> Response:
        membership = acting(request).membership
        return _team_response(case_for(membership, reference, Tier.METADATA), membership)

    post = CaseTeamAdd.lent()


class CaseTeamRemove(TeamChange):
    """Remove from the case team

    Ends the entry's access with its next request; the entry stays in the history."""

    refusals = {
        400: OpenApiResponse(description="Invalid input, not on the team, or the last entry."),
        404: TEAM_NOT_FOUND,
    }
    service = services.case_team_remove
