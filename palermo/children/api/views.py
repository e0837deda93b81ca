"""The children API: the same services and selectors as the case page section, one endpoint per kind of
record on a child's case (list and add) and one per action on a record. Only a child's case has them: an
adult's case answers 404 here, like an invisible one."""

from __future__ import annotations

from typing import Any

from palermo.cases.endpoints import Reading
from palermo.cases.models import Case
from palermo.cases.services.representation import (
    temporary_representative_end,
    temporary_representative_record,
)
from palermo.children import selectors
from palermo.children.api import serializers as s
from palermo.children.api.common import (
    NOT_FOUND,
    ChildCaseAction,
    RecordActionView,
    RecordsView,
)
from palermo.children.models import CareArrangement
from palermo.children.services import best_interest, care, guardianship, solutions, tracing
from palermo.core.api_declared import DocumentedByDocstring
from palermo.core.api_errors import BAD_REQUEST


class AppointView(DocumentedByDocstring, ChildCaseAction):
    # Who acts for the child, recorded (a guardian appointed, a temporary representative): a new record each
    # time, never stale nor held back. The docstring: the POST's summary, then its description.
    refusals = {400: BAD_REQUEST, 404: NOT_FOUND}
    created = True


class GuardianshipView(AppointView):
    """Appoint (or replace) the child's guardian

    A guardian of a guardianship service; they join the case team and the appointment deadline is done. A
    current guardian is replaced. Only those who manage the case team."""

    # GET: the current guardian, history, consents given on the child's behalf.
    reading = Reading(
        "The child's guardian",
        s.GuardianshipOverviewSerializer,
        "The current guardian, earlier ones, and consents given by the guardian or legal representative "
        "(recorded through the case's consent endpoints).",
    )
    input = s.GuardianAppointInput
    output = s.GuardianshipSerializer

    def read(self, case: Case, tiers: frozenset[int], **ids: Any) -> Any:
        history = list(selectors.guardianships(case))
        data = {
            "current": next((g for g in history if g.ended_at is None), None),
            "history": history,
            "consents": list(selectors.guardian_consents(case)),
        }
        return s.GuardianshipOverviewSerializer(data, context={"tiers": tiers}).data

    def perform(self, user: Any, membership: Any, target: Any, data: dict[str, Any]) -> Any:
        return guardianship.guardian_replace(
            actor=user, membership=membership, case=target, guardian=data["guardian"], agency=data["agency"]
        )


class ActingForChild(ChildCaseAction):
    # Reads, and answers a change with, who acts for the child now: the guardian, or until one is appointed
    # the temporary representative (name null below T2), or no one yet.
    output = s.ActingForChildSerializer

    def read(self, case: Case, tiers: frozenset[int], **ids: Any) -> Any:
        guardian = selectors.active_guardianship(case)
        representative = None if guardian else selectors.temporary_representative(case)
        acting = "guardian" if guardian else "temporary_representative" if representative else "no_one"
        answer = {"acting": acting, "guardian": guardian, "temporary_representative": representative}
        return self.output(answer, context={"tiers": tiers}).data

    def answer(self, case: Case, tiers: frozenset[int], record: Any) -> Any:
        return self.read(case, tiers)


class RepresentativeEnd(ActingForChild):
    # DELETE on the representative's URL (lent to RepresentativeView).
    method = "delete"
    summary = "End the temporary representation"
    description = "The temporary representative no longer acts for the child."
    input = None
    refusals = {404: NOT_FOUND}
    service = temporary_representative_end


class RepresentativeView(AppointView, ActingForChild):
    """Record the child's temporary representative

    Who acts for the child until a guardian is appointed (replaces the one acting). Refused (400) once a
    guardian is appointed. Those who may write identity (T2) on the case."""

    reading = Reading(
        "Who acts for the child",
        s.ActingForChildSerializer,
        "The guardian; until one is appointed the temporary representative (name null below T2); or no one "
        "yet.",
    )
    input = s.TemporaryRepresentativeInput
    delete = RepresentativeEnd.lent()
    service = temporary_representative_record


class GuardianshipEndView(RecordActionView):
    """End the guardianship

    End it."""

    output = s.GuardianshipSerializer
    input = s.GuardianEndInput
    service = guardianship.guardian_end


class BestInterestView(RecordsView):
    """Best-interest procedures

    An assessment or a determination (at least two roles take part), with the child's views or why the
    child was not heard. Needs write access at T4."""

    output = s.BestInterestSerializer
    input = s.BestInterestInput
    records = staticmethod(selectors.best_interest_procedures)
    service = best_interest.best_interest_record


class TracingView(RecordsView):
    """Family tracing requests

    Request tracing of the family."""

    output = s.TracingSerializer
    input = s.TracingInput
    records = staticmethod(selectors.tracing_requests)
    service = tracing.tracing_request


class TracingResultView(RecordActionView):
    """Record the tracing result

    The result (location, T3) with the version read; a stale version answers 409."""

    output = s.TracingSerializer
    input = s.TracingResultInput
    service = tracing.tracing_result


class FamilyContactView(RecordsView):
    """Contacts with the family

    Record a contact."""

    output = s.FamilyContactSerializer
    input = s.FamilyContactInput
    records = staticmethod(selectors.family_contacts)
    service = tracing.family_contact_record


class FamilyAssessmentView(RecordsView):
    """Family assessments

    The family's ability and willingness to receive the child; a return relies on a favourable one."""

    output = s.FamilyAssessmentSerializer
    input = s.FamilyAssessmentInput
    records = staticmethod(selectors.family_assessments)
    service = tracing.family_assessment_record


class CareView(RecordsView):
    """Care arrangements

    Decide the care arrangement (residential care states why). Waits for a best-interest determination
    (409). The review falls due after children.care_review_days."""

    output = s.CareSerializer
    input = s.CareInput
    records = staticmethod(selectors.care_arrangements)
    service = care.care_arrange


class CareReviewView(RecordActionView):
    """Review the care arrangement

    A quality review of the current arrangement; the next review falls due from it."""

    model = CareArrangement  # the review answers the review it adds
    output = s.CareReviewSerializer
    input = s.CareReviewInput
    service = care.care_review


class LegalStatusView(RecordsView):
    """Decisions on the child's legal status

    The court's or authority's decision, with the child's legal representative. Waits for a best-interest
    determination (409)."""

    output = s.LegalStatusSerializer
    input = s.LegalStatusInput
    records = staticmethod(selectors.legal_status_decisions)
    service = solutions.legal_status_decide


class SolutionView(RecordsView):
    """Durable solutions

    Integration, return or third-country relocation. A return needs a risk assessment that found it safe, a
    favourable family assessment and an accompanying adult who is not a police officer. Waits for a
    best-interest determination (409)."""

    output = s.SolutionSerializer
    input = s.SolutionInput
    records = staticmethod(selectors.durable_solutions)
    service = solutions.durable_solution_decide


class ReturnView(RecordActionView):
    """Record the child's return

    The return happened: follow-up contacts are scheduled at children.return_followup_days."""

    output = s.SolutionSerializer
    input = s.ReturnInput
    service = solutions.return_record


class FollowUpView(RecordActionView):
    """Record a follow-up contact

    After return."""

    output = s.FollowUpSerializer
    input = s.FollowUpInput
    service = solutions.followup_record
