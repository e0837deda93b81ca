"""Residence in the API: a case's applications (with decisions, appeals, permits and the humanitarian
assessment), lodging and correcting an application, deciding it, appealing a refusal, withdrawing, assessing
humanitarian grounds, the permits, and the legal-status picture as rows; the same services as the screens.

A decision's reasons only for callers allowed T2, T4 texts (grounds of appeal, the child's views, the
assessment's findings) only for callers allowed T4 (null otherwise; those reads recorded), save the child's
views of a decision the caller recorded, the country of resettlement only with T3. Every change of an
application states the version read: a stale one answers 409 with it as it is.
"""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from palermo.accounts.active import acting
from palermo.cases.models import Case
from palermo.cases.web import API_ROLES, BAD_REQUEST, visible_case
from palermo.core import api_errors
from palermo.residence.api.serializers import (
    HumanitarianAssessmentInputSerializer,
    LegalStatusRowSerializer,
    ResidenceAppealInputSerializer,
    ResidenceApplicationSerializer,
    ResidenceCorrectSerializer,
    ResidenceDecideSerializer,
    ResidenceLodgeSerializer,
    ResidencePermitSerializer,
    ResidenceWithdrawSerializer,
)
from palermo.residence.chart import table_rows
from palermo.residence.legal_status import legal_status_chart
from palermo.residence.models import Application
from palermo.residence.selectors import (
    application_of,
    applications_in_brief,
    applications_of,
    applications_shown,
    child_views_shown,
    permits_in_brief,
    permits_of,
    renewable_permits,
)
from palermo.residence.services.applications import (
    ApplicationInput,
    application_correct,
    application_lodge,
    application_withdraw,
)
from palermo.residence.services.decisions import DecisionInput, appeal_lodge, decision_record
from palermo.residence.services.humanitarian import CRITERIA, assessment_save

NOT_FOUND = api_errors.error_response(
    "No such case or application, not visible to the caller, or the caller may not make this change."
)
CHANGE_RESPONSES = {
    200: ResidenceApplicationSerializer,
    400: BAD_REQUEST,
    404: NOT_FOUND,
    409: api_errors.error_response("Stale version: `current` holds the application as it is now."),
}


def _applications_data(request: Request, case: Case, tiers: frozenset[int], pk: int | None = None) -> Any:
    """The case's applications (or one) as the caller may see them; showing T2 or T4 text is recorded."""
    applications = applications_of(case, pk)
    _user, membership = acting(request)
    applications_shown(case, membership, tiers, applications)
    context = {"tiers": tiers, "child_views": child_views_shown(applications, membership, tiers)}
    serializer = ResidenceApplicationSerializer(applications, many=True, context=context)
    return serializer.data if pk is None else serializer.data[0]


def _valid(serializer_class: Any, request: Request) -> dict[str, Any]:
    serializer = serializer_class(data=request.data)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data  # type: ignore[no-any-return]


class ApplicationList(APIView):
    palermo_roles = API_ROLES

    @extend_schema(
        summary="The case's residence and asylum applications",
        description="Each with its decisions, appeals, the permit granted and the humanitarian assessment.",
        responses={200: ResidenceApplicationSerializer(many=True), 404: NOT_FOUND},
    )
    def get(self, request: Request, reference: str) -> Response:
        case, tiers = visible_case(request, reference)
        return Response(_applications_data(request, case, tiers))

    @extend_schema(
        summary="Record an application lodged with an authority",
        description=(
            "Temporary or permanent residence (with its route), renewal of a permit, asylum, humanitarian "
            "grounds or resettlement. Asylum and permit applications may run at the same time."
        ),
        request=ResidenceLodgeSerializer,
        responses={201: ResidenceApplicationSerializer, 400: BAD_REQUEST, 404: NOT_FOUND},
    )
    def post(self, request: Request, reference: str) -> Response:
        case, tiers = visible_case(request, reference)
        user, membership = acting(request)
        data = _valid(ResidenceLodgeSerializer, request)
        permits = {permit.pk: permit for permit in renewable_permits(case)}
        application = application_lodge(
            actor=user,
            membership=membership,
            case=case,
            data=ApplicationInput(
                kind=data["kind"],
                authority=data["authority"],
                lodged_on=data.get("lodged_on"),
                route=data.get("route", ""),
                renews=permits.get(data.get("renews") or 0),
                destination_country=data.get("destination_country", ""),
            ),
        )
        return Response(
            _applications_data(request, case, tiers, application.pk), status=status.HTTP_201_CREATED
        )


class ApplicationDetail(APIView):
    palermo_roles = API_ROLES

    @extend_schema(summary="One application", responses={200: ResidenceApplicationSerializer, 404: NOT_FOUND})
    def get(self, request: Request, reference: str, pk: int) -> Response:
        case, tiers = visible_case(request, reference)
        application_of(case, pk)
        return Response(_applications_data(request, case, tiers, pk))

    @extend_schema(
        summary="Correct a pending application",
        description="Its authority and the day it was lodged; the decision deadline moves with the day.",
        request=ResidenceCorrectSerializer,
        responses=CHANGE_RESPONSES,
    )
    def patch(self, request: Request, reference: str, pk: int) -> Response:
        return _change(request, reference, pk, ResidenceCorrectSerializer, _correct)


def _change(request: Request, reference: str, pk: int, serializer_class: Any, action: Any) -> Response:
    """Validate, run the service with the caller's membership, answer the application as it now is."""
    case, tiers = visible_case(request, reference)
    user, membership = acting(request)
    application = application_of(case, pk)
    data = _valid(serializer_class, request)
    with api_errors.shows_current(lambda current: _applications_data(request, case, tiers, pk)):
        action(user, membership, application, data)
    return Response(_applications_data(request, case, tiers, pk))


def _correct(user: Any, membership: Any, application: Application, data: dict[str, Any]) -> None:
    application_correct(
        actor=user,
        membership=membership,
        application=application,
        authority=data["authority"],
        lodged_on=data["lodged_on"],
        expected_version=data["expected_version"],
    )


def _decide(user: Any, membership: Any, application: Application, data: dict[str, Any]) -> None:
    child_views = {
        name: data.get(name) if name == "child_age_when_heard" else data.get(name, "")
        for name in ("child_views", "child_not_heard_reason", "child_age_when_heard", "child_interpreter")
        if application.case.is_child
    }
    decision_record(
        actor=user,
        membership=membership,
        application=application,
        data=DecisionInput(
            outcome=data["outcome"],
            reasons=data["reasons"],
            decided_on=data.get("decided_on"),
            refusal_ground=data.get("refusal_ground", ""),
            valid_from=data.get("valid_from"),
            valid_to=data.get("valid_to"),
            child_views=child_views,
        ),
        expected_version=data["expected_version"],
    )


def _appeal(user: Any, membership: Any, application: Application, data: dict[str, Any]) -> None:
    appeal_lodge(
        actor=user,
        membership=membership,
        application=application,
        body=data["body"],
        lodged_on=data.get("lodged_on"),
        grounds=data.get("grounds", ""),
        expected_version=data["expected_version"],
    )


def _withdraw(user: Any, membership: Any, application: Application, data: dict[str, Any]) -> None:
    application_withdraw(
        actor=user, membership=membership, application=application, expected_version=data["expected_version"]
    )


def _assess(user: Any, membership: Any, application: Application, data: dict[str, Any]) -> None:
    assessment_save(
        actor=user,
        membership=membership,
        application=application,
        findings={name: data[name] for name in CRITERIA},
        notes=data.get("notes", ""),
        expected_version=data.get("expected_version"),
    )


class ApplicationDecision(APIView):
    palermo_roles = API_ROLES

    @extend_schema(
        summary="Record the decision on the application or its appeal",
        description=(
            "Granted or refused, with reasons (T2: the legal basis, which the migration officer on the team "
            "records) and, for a refusal, its ground. A grant of a permit kind "
            "gives a permit at least as long as the rulebook's minimum. Where the rulebook says status may "
            "not depend on cooperation, a refusal on that ground is refused (400). On a child's case the "
            "child's views, or why the child was not heard, are required (400 without): whoever decides "
            "states them, the migration officer included; they are stored at T4 and read back by their "
            "author and by callers allowed T4 only."
        ),
        request=ResidenceDecideSerializer,
        responses=CHANGE_RESPONSES,
    )
    def post(self, request: Request, reference: str, pk: int) -> Response:
        return _change(request, reference, pk, ResidenceDecideSerializer, _decide)


class ApplicationAppeal(APIView):
    palermo_roles = API_ROLES

    @extend_schema(
        summary="Appeal a refused application",
        description="Its decision is due after the rulebook's appeal period. Grounds are T4.",
        request=ResidenceAppealInputSerializer,
        responses=CHANGE_RESPONSES,
    )
    def post(self, request: Request, reference: str, pk: int) -> Response:
        return _change(request, reference, pk, ResidenceAppealInputSerializer, _appeal)


class ApplicationWithdraw(APIView):
    palermo_roles = API_ROLES

    @extend_schema(
        summary="Withdraw an application", request=ResidenceWithdrawSerializer, responses=CHANGE_RESPONSES
    )
    def post(self, request: Request, reference: str, pk: int) -> Response:
        return _change(request, reference, pk, ResidenceWithdrawSerializer, _withdraw)


class ApplicationAssessment(APIView):
    palermo_roles = API_ROLES

    @extend_schema(
        summary="Assess the humanitarian grounds of an application",
        description="One finding per criterion of the position paper, and notes (all T4).",
        request=HumanitarianAssessmentInputSerializer,
        responses=CHANGE_RESPONSES,
    )
    def put(self, request: Request, reference: str, pk: int) -> Response:
        return _change(request, reference, pk, HumanitarianAssessmentInputSerializer, _assess)


class PermitList(APIView):
    palermo_roles = API_ROLES

    @extend_schema(
        summary="The case's residence permits",
        description="With validity, rights to work and study, and the permit that renewed each.",
        responses={200: ResidencePermitSerializer(many=True), 404: NOT_FOUND},
    )
    def get(self, request: Request, reference: str) -> Response:
        case, _tiers = visible_case(request, reference)
        return Response(ResidencePermitSerializer(permits_of(case), many=True).data)


class StatusTimeline(APIView):
    palermo_roles = API_ROLES

    @extend_schema(
        summary="The person's legal status over time",
        description=(
            "The rows of the case page's picture: reflection period, applications, asylum, permits and "
            "decisions."
        ),
        responses={200: LegalStatusRowSerializer(many=True), 404: NOT_FOUND},
    )
    def get(self, request: Request, reference: str) -> Response:
        case, _tiers = visible_case(request, reference)
        chart = legal_status_chart(case, applications_in_brief(case), permits_in_brief(case))
        rows = [
            {
                "lane": str(row.lane),
                "what": str(row.label),
                "start": row.start,
                "end": row.end,
                "status": str(row.status),
            }
            for row in table_rows(chart)
        ]
        return Response(LegalStatusRowSerializer(rows, many=True).data)
