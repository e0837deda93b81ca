"""The data protection officer's actions in the API (issue 21): a case's retention standing, the subject
access export (JSON or PDF), placing and lifting a legal hold, and erasure; and the officer's lists: the
cases to be anonymised soon, the legal holds in force and the latest retention runs. The same selectors and
services as the pages (palermo.privacy.views); a case the caller does not answer for, and any other role, get
404.

Erasure states the case version read (409 with the case's standing when stale). A hold has no editable fields:
placing and lifting are one-way steps, refused with 400 in the wrong state (already held, not held).
"""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpResponse
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from palermo.accounts.active import acting
from palermo.accounts.models import Membership, User
from palermo.accounts.roles import Role
from palermo.cases.models import Case
from palermo.cases.web import attachment_response
from palermo.core import api_errors
from palermo.core.api_errors import BAD_REQUEST, NO_SUCH_PAGE
from palermo.core.api_fields import version
from palermo.core.api_lists import CallerList
from palermo.core.rulebooks import rulebook
from palermo.privacy import services
from palermo.privacy.export import subject_access_export
from palermo.privacy.models import Anonymisation, LegalHold, RetentionRun
from palermo.privacy.selectors import SOON_DAYS, due_for_anonymisation, holds_of, standing_holds
from palermo.privacy.web import acting_on_case

DPO = frozenset({Role.DATA_PROTECTION_OFFICER})
NOT_FOUND = api_errors.error_response("No such case that the caller answers for (any other looks the same).")
STALE = api_errors.error_response("Stale version: `current` holds the case's standing now.")


class HoldSerializer(serializers.ModelSerializer):
    class Meta:
        model = LegalHold
        fields = ["id", "placed_at", "lifted_at"]
        read_only_fields = fields


class AnonymisationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Anonymisation
        fields = ["why", "done_at", "values_destroyed", "documents_deleted"]
        read_only_fields = fields


class StandingSerializer(serializers.Serializer):
    reference = serializers.CharField()
    status = serializers.CharField()
    version = serializers.IntegerField()
    held = serializers.BooleanField(help_text="Under a standing legal hold: not anonymised.")
    erasure_allowed = serializers.BooleanField(help_text="Closed, no hold, and the law allows erasure.")
    anonymisation = AnonymisationSerializer(allow_null=True)
    holds = HoldSerializer(many=True)


class PlaceHoldSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=services.HOLD_REASON_MAX)


class EraseSerializer(serializers.Serializer):
    expected_version = version()


def _standing(case: Case) -> dict[str, Any]:
    case = Case.objects.get(pk=case.pk)  # as it is now, after an action
    held = services.standing_hold(case) is not None
    anonymisation = Anonymisation.objects.filter(case=case).first()
    data = {
        "reference": case.reference,
        "status": case.status,
        "version": case.version,
        "held": held,
        "erasure_allowed": bool(
            rulebook().retention.erasure_on_request
            and case.status in services.CLOSED_STATES
            and not held
            and anonymisation is None
        ),
        "anonymisation": anonymisation,
        "holds": list(holds_of(case)),
    }
    return StandingSerializer(data).data  # type: ignore[return-value]


class DpoView(APIView):
    palermo_roles = DPO


class CaseStanding(DpoView):
    @extend_schema(
        summary="A case's retention standing",
        description="Legal holds, whether erasure is possible, and the anonymisation if done; counts only.",
        responses={200: StandingSerializer, 404: NOT_FOUND},
    )
    def get(self, request: Request, reference: str) -> Response:
        _user, _membership, case = acting_on_case(request, reference)
        return Response(_standing(case))


class SubjectAccessExport(DpoView):
    @extend_schema(
        summary="The person's copy of their data",
        description="Everything the case holds about the person, in their language (or `language`), as "
        "JSON or PDF; every export is recorded on the audit log.",
        parameters=[
            OpenApiParameter("kind", str, OpenApiParameter.PATH, enum=["json", "pdf"]),
            OpenApiParameter("language", str, description="A language code; the person's by default."),
        ],
        responses={(200, "application/octet-stream"): OpenApiResponse(OpenApiTypes.BINARY), 404: NOT_FOUND},
    )
    def get(self, request: Request, reference: str, kind: str) -> HttpResponse:
        if kind not in ("json", "pdf"):
            raise Http404
        user, membership, case = acting_on_case(request, reference)
        content, language = subject_access_export(
            actor=user,
            membership=membership,
            case=case,
            kind=kind,
            language=str(request.query_params.get("language", ""))[:10],
        )
        content_type = "application/pdf" if kind == "pdf" else "application/json"
        return attachment_response(content, content_type, f"data-{case.reference}-{language}.{kind}")


class DpoAction(DpoView):
    """A POST on one case: its body checked by `body` (if any), `act` done, the case's standing answered;
    a stale version (erasure) answers 409 with the standing now. A subclass names its OpenAPI `summary` and
    `description`, and `stale=True` when it states a version, as class keywords."""

    body: type[serializers.Serializer] | None = None

    def __init_subclass__(cls, *, summary: str, description: str, stale: bool = False, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        responses: dict[int, Any] = {200: StandingSerializer, 400: BAD_REQUEST, 404: NOT_FOUND}
        if stale:
            responses[409] = STALE
        extend_schema(summary=summary, description=description, request=cls.body, responses=responses)(cls)

    def act(self, user: User, membership: Membership, case: Case, data: dict[str, Any]) -> None:
        raise NotImplementedError

    def post(self, request: Request, reference: str) -> Response:
        user, membership, case = acting_on_case(request, reference)
        data: dict[str, Any] = {}
        if self.body is not None:
            serializer = self.body(data=request.data)
            serializer.is_valid(raise_exception=True)
            data = dict(serializer.validated_data)
        with api_errors.shows_current(_standing):
            self.act(user, membership, case, data)
        return Response(_standing(case))


class HoldPlace(
    DpoAction,
    summary="Place a legal hold",
    description="The case is not anonymised while the hold stands. 400 when already held or anonymised.",
):
    body = PlaceHoldSerializer

    def act(self, user: User, membership: Membership, case: Case, data: dict[str, Any]) -> None:
        services.legal_hold_place(actor=user, membership=membership, case=case, reason=data["reason"])


class HoldLift(
    DpoAction, summary="Lift the legal hold", description="400 when the case is not under a hold."
):
    def act(self, user: User, membership: Membership, case: Case, data: dict[str, Any]) -> None:
        services.legal_hold_lift(actor=user, membership=membership, case=case)


class Erase(
    DpoAction,
    summary="Erase the person's data",
    description="Destroys the person's identity, whereabouts, story and documents on a closed case, for "
    "good (the case stays for statistics). 400 when open, held, already anonymised or not allowed by the "
    "law; 409 when the version is stale.",
    stale=True,
):
    body = EraseSerializer

    def act(self, user: User, membership: Membership, case: Case, data: dict[str, Any]) -> None:
        services.case_erase(
            actor=user, membership=membership, case=case, expected_version=data["expected_version"]
        )


# --- the officer's lists: what is to be anonymised soon, the holds in force, the latest runs ---


class DueForAnonymisationSerializer(serializers.Serializer):
    reference = serializers.CharField(source="case.reference")
    status = serializers.CharField(source="case.status")
    closed_at = serializers.DateTimeField(source="case.closed_at")
    retention_ends = serializers.DateField(
        source="ends_on", help_text="The day the retention run anonymises the case, unless a hold stands."
    )
    held = serializers.BooleanField(help_text="Under a standing legal hold: kept past that day.")


class StandingHoldSerializer(serializers.Serializer):
    reference = serializers.CharField(source="case.reference")
    placed_at = serializers.DateTimeField()


class RetentionRunSerializer(serializers.Serializer):
    day = serializers.DateField()
    expired = serializers.IntegerField(source="report.expired", help_text="Cases whose period had ended.")
    anonymised = serializers.IntegerField(source="report.anonymised")
    held = serializers.IntegerField(source="report.held", help_text="Of those, kept under a legal hold.")


class _OfficersList(CallerList):
    # One of the officer's lists, a page at a time (a page past the last is the one 404).
    palermo_roles = DPO
    refusals = {404: NO_SUCH_PAGE}


class DueList(_OfficersList):
    summary = "Cases to be anonymised soon"
    description = (
        f"The closed cases the caller answers for whose retention period ends within {SOON_DAYS} days, or "
        "ended and are kept under a legal hold: the soonest first, 50 a page."
    )
    model = Case
    serializer_class = DueForAnonymisationSerializer

    def listed(self) -> Any:
        return due_for_anonymisation(acting(self.request).membership, timezone.localdate())


class HoldList(_OfficersList):
    summary = "Legal holds in force"
    description = "The holds standing on the cases the caller answers for, the latest first, 50 a page."
    model = LegalHold
    serializer_class = StandingHoldSerializer

    def listed(self) -> Any:
        return standing_holds(acting(self.request).membership)


class RunList(_OfficersList):
    summary = "Latest retention runs"
    description = "What each daily run did, the latest first: counts for the whole installation, no names."
    model = RetentionRun
    serializer_class = RetentionRunSerializer

    def listed(self) -> Any:
        return RetentionRun.objects.exclude(report={}).order_by("-day")
