"""The children API: the same services and selectors as the case page section, one endpoint per kind of
record on a child's case (list and add) and one per action on a record. Only a child's case has them: an
adult's case answers 404 here, like an invisible one."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from palermo.accounts.active import acting
from palermo.cases.web import API_ROLES, BAD_REQUEST
from palermo.children import selectors
from palermo.children.api import serializers as s
from palermo.children.api.common import (
    NOT_FOUND,
    WRITE_RESPONSES,
    RecordActionView,
    RecordsView,
    child_case,
)
from palermo.children.models import (
    CareArrangement,
    DurableSolution,
    FollowUpContact,
    Guardianship,
    TracingRequest,
)
from palermo.children.services.best_interest import best_interest_record
from palermo.children.services.care import care_arrange, care_review
from palermo.children.services.guardianship import guardian_end, guardian_replace
from palermo.children.services.solutions import (
    durable_solution_decide,
    followup_record,
    legal_status_decide,
    return_record,
)
from palermo.children.services.tracing import (
    family_assessment_record,
    family_contact_record,
    tracing_request,
    tracing_result,
)


def _records(summary: str, output: Any, input_: Any, description: str) -> Any:
    """The schema of a list-and-add endpoint."""
    return {
        "get": extend_schema(
            summary=summary,
            description="Only a child's case has them; narrative fields are null below T4 (read audited).",
            responses={200: output(many=True), 404: NOT_FOUND},
        ),
        "post": extend_schema(
            summary=f"{summary}: add",
            description=description,
            request=input_,
            responses={201: output, **WRITE_RESPONSES},
        ),
    }


def _action(summary: str, output: Any, input_: Any, description: str) -> Any:
    return extend_schema(
        summary=summary, description=description, request=input_, responses={200: output, **WRITE_RESPONSES}
    )


def _with_schema(view: type[APIView], schemas: dict[str, Any]) -> type[APIView]:
    for method, schema in schemas.items():
        setattr(view, method, schema(_same(view, method)))
    return view


def _same(view: type[APIView], method: str) -> Any:
    base = getattr(view, method)

    def handler(self: APIView, request: Request, *args: Any, **kwargs: Any) -> Response:
        return base(self, request, *args, **kwargs)

    handler.__name__ = method
    return handler


class GuardianshipView(APIView):
    """The child's guardian: current, history, consents given on the child's behalf; appoint or replace."""

    palermo_roles = API_ROLES

    @extend_schema(
        summary="The child's guardian",
        description="The current guardian, earlier ones, and consents given by the guardian or legal "
        "representative (recorded through the case's consent endpoints).",
        responses={200: s.GuardianshipOverviewSerializer, 404: NOT_FOUND},
    )
    def get(self, request: Request, reference: str) -> Response:
        case, tiers = child_case(request, reference)
        history = list(selectors.guardianships(case))
        data = {
            "current": next((g for g in history if g.ended_at is None), None),
            "history": history,
            "consents": list(selectors.guardian_consents(case)),
        }
        return Response(s.GuardianshipOverviewSerializer(data, context={"tiers": tiers}).data)

    @extend_schema(
        summary="Appoint (or replace) the child's guardian",
        description="A guardian of a guardianship service; they join the case team and the appointment "
        "deadline is done. A current guardian is replaced. Only those who manage the case team.",
        request=s.GuardianAppointInput,
        responses={
            201: s.GuardianshipSerializer,
            400: BAD_REQUEST,
            404: NOT_FOUND,
        },
    )
    def post(self, request: Request, reference: str) -> Response:
        case, _tiers = child_case(request, reference)
        user, membership = acting(request)
        serializer = s.GuardianAppointInput(data=request.data)
        serializer.is_valid(raise_exception=True)
        data: dict[str, Any] = serializer.validated_data  # type: ignore[assignment]
        guardianship = guardian_replace(
            actor=user, membership=membership, case=case, guardian=data["guardian"], agency=data["agency"]
        )
        return Response(s.GuardianshipSerializer(guardianship).data, status=status.HTTP_201_CREATED)


class GuardianshipEndView(RecordActionView):
    model = Guardianship
    output = s.GuardianshipSerializer
    input = s.GuardianEndInput
    act = staticmethod(
        lambda u, m, target, d: guardian_end(
            actor=u, membership=m, guardianship=target, reason=d["ended_because"]
        )
    )


class BestInterestView(RecordsView):
    output = s.BestInterestSerializer
    input = s.BestInterestInput
    records = staticmethod(selectors.best_interest_procedures)
    create = staticmethod(lambda u, m, case, d: best_interest_record(actor=u, membership=m, case=case, **d))


class TracingView(RecordsView):
    output = s.TracingSerializer
    input = s.TracingInput
    records = staticmethod(selectors.tracing_requests)
    create = staticmethod(lambda u, m, case, d: tracing_request(actor=u, membership=m, case=case, **d))


class TracingResultView(RecordActionView):
    model = TracingRequest
    output = s.TracingSerializer
    input = s.TracingResultInput
    act = staticmethod(lambda u, m, target, d: tracing_result(actor=u, membership=m, tracing=target, **d))


class FamilyContactView(RecordsView):
    output = s.FamilyContactSerializer
    input = s.FamilyContactInput
    records = staticmethod(selectors.family_contacts)
    create = staticmethod(lambda u, m, case, d: family_contact_record(actor=u, membership=m, case=case, **d))


class FamilyAssessmentView(RecordsView):
    output = s.FamilyAssessmentSerializer
    input = s.FamilyAssessmentInput
    records = staticmethod(selectors.family_assessments)
    create = staticmethod(
        lambda u, m, case, d: family_assessment_record(actor=u, membership=m, case=case, **d)
    )


class CareView(RecordsView):
    output = s.CareSerializer
    input = s.CareInput
    records = staticmethod(selectors.care_arrangements)
    create = staticmethod(lambda u, m, case, d: care_arrange(actor=u, membership=m, case=case, **d))


class CareReviewView(RecordActionView):
    model = CareArrangement
    output = s.CareReviewSerializer
    input = s.CareReviewInput
    act = staticmethod(lambda u, m, target, d: care_review(actor=u, membership=m, arrangement=target, **d))


class LegalStatusView(RecordsView):
    output = s.LegalStatusSerializer
    input = s.LegalStatusInput
    records = staticmethod(selectors.legal_status_decisions)
    create = staticmethod(lambda u, m, case, d: legal_status_decide(actor=u, membership=m, case=case, **d))


class SolutionView(RecordsView):
    output = s.SolutionSerializer
    input = s.SolutionInput
    records = staticmethod(selectors.durable_solutions)
    create = staticmethod(
        lambda u, m, case, d: durable_solution_decide(actor=u, membership=m, case=case, **d)
    )


class ReturnView(RecordActionView):
    model = DurableSolution
    output = s.SolutionSerializer
    input = s.ReturnInput
    act = staticmethod(lambda u, m, target, d: return_record(actor=u, membership=m, solution=target, **d))


class FollowUpView(RecordActionView):
    model = FollowUpContact
    output = s.FollowUpSerializer
    input = s.FollowUpInput
    act = staticmethod(lambda u, m, target, d: followup_record(actor=u, membership=m, followup=target, **d))


_with_schema(
    BestInterestView,
    _records(
        "Best-interest procedures",
        s.BestInterestSerializer,
        s.BestInterestInput,
        "An assessment or a determination (at least two roles take part), with the child's views or why the "
        "child was not heard. Needs write access at T4.",
    ),
)
_with_schema(
    TracingView,
    _records(
        "Family tracing requests", s.TracingSerializer, s.TracingInput, "Request tracing of the family."
    ),
)
_with_schema(
    FamilyContactView,
    _records(
        "Contacts with the family", s.FamilyContactSerializer, s.FamilyContactInput, "Record a contact."
    ),
)
_with_schema(
    FamilyAssessmentView,
    _records(
        "Family assessments",
        s.FamilyAssessmentSerializer,
        s.FamilyAssessmentInput,
        "The family's ability and willingness to receive the child; a return relies on a favourable one.",
    ),
)
_with_schema(
    CareView,
    _records(
        "Care arrangements",
        s.CareSerializer,
        s.CareInput,
        "Decide the care arrangement (residential care states why). Waits for a best-interest determination "
        "(409). The review falls due after children.care_review_days.",
    ),
)
_with_schema(
    LegalStatusView,
    _records(
        "Decisions on the child's legal status",
        s.LegalStatusSerializer,
        s.LegalStatusInput,
        "The court's or authority's decision, with the child's legal representative. Waits for a "
        "best-interest determination (409).",
    ),
)
_with_schema(
    SolutionView,
    _records(
        "Durable solutions",
        s.SolutionSerializer,
        s.SolutionInput,
        "Integration, return or third-country relocation. A return needs a risk assessment that found it "
        "safe, a favourable family assessment and an accompanying adult who is not a police officer. Waits "
        "for a best-interest determination (409).",
    ),
)
_with_schema(
    GuardianshipEndView,
    {"post": _action("End the guardianship", s.GuardianshipSerializer, s.GuardianEndInput, "End it.")},
)
_with_schema(
    TracingResultView,
    {
        "post": _action(
            "Record the tracing result",
            s.TracingSerializer,
            s.TracingResultInput,
            "The result (location, T3) with the version read; a stale version answers 409.",
        )
    },
)
_with_schema(
    CareReviewView,
    {
        "post": _action(
            "Review the care arrangement",
            s.CareReviewSerializer,
            s.CareReviewInput,
            "A quality review of the current arrangement; the next review falls due from it.",
        )
    },
)
_with_schema(
    ReturnView,
    {
        "post": _action(
            "Record the child's return",
            s.SolutionSerializer,
            s.ReturnInput,
            "The return happened: follow-up contacts are scheduled at children.return_followup_days.",
        )
    },
)
_with_schema(
    FollowUpView,
    {"post": _action("Record a follow-up contact", s.FollowUpSerializer, s.FollowUpInput, "After return.")},
)
