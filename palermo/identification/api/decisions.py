"""Decisions through the API: a case's decisions and what is due (T1; grounds and reasons only to those who
may read T4, on the record), the authority's decisions and reviews, and its list of cases awaiting one."""

from __future__ import annotations

from typing import Any

from django.http import Http404
from rest_framework import serializers
from rest_framework.request import Request

from palermo.access.policy import can_read
from palermo.access.selectors import case_for
from palermo.access.tiers import Tier
from palermo.accounts.active import acting
from palermo.accounts.models import Membership
from palermo.cases.api_values import CaseFacetQuerySerializer
from palermo.cases.endpoints import CaseAction, Reading
from palermo.cases.lists import NamedWorklist
from palermo.cases.models import Case
from palermo.core.api_errors import NO_SUCH_PAGE
from palermo.identification.api.common import BAD_REQUEST, NOT_FOUND
from palermo.identification.api.decision_serializers import (
    CaseDecisionsSerializer,
    DecisionSerializer,
    DecisionTakeSerializer,
    RequestedReviewInSerializer,
    RequestedReviewSerializer,
    ReviewSerializer,
)
from palermo.identification.models import DecisionKind, DecisionProcedure, ScreeningStatus
from palermo.identification.roles import DECIDERS, DECISION_READERS
from palermo.identification.selectors import (
    AwaitingOrder,
    awaiting_due_at,
    cases_awaiting_decision,
    decision_case,
    decision_on,
    decisions_of,
    pending_decisions,
    review_requests_of,
    screenings_of,
    standing_decisions,
)
from palermo.identification.services.decisions import (
    DecisionInput,
    decision_take,
)
from palermo.identification.services.reviews import decision_review, review_request_record


def _shows_reasons(membership: Membership, case: Case) -> bool:
    if not can_read(membership, case, Tier.NARRATIVE):
        return False
    case_for(membership, case.reference, Tier.NARRATIVE, reason="decision reasons")
    return True


def _case_document(membership: Membership, case: Case) -> dict[str, Any]:
    decisions = list(decisions_of(case))
    context = {
        "show_reasons": _shows_reasons(membership, case),
        "standing_ids": {d.pk for d in standing_decisions(decisions).values()},
    }
    pending = [
        {"kind": p.kind, "due_at": p.due_at, "overdue": p.overdue, "paused": p.paused}
        for p in pending_decisions(case, decisions)
    ]
    requests = RequestedReviewSerializer(review_requests_of(case, open_only=True), many=True).data
    return {
        "pending": pending,
        "review_requests": requests,
        "decisions": DecisionSerializer(decisions, many=True, context=context).data,
    }


class DecisionWrite(CaseAction):
    # A decision, a review or a request for one, by a decider (404 for anyone else); the answer is the
    # case's decisions and what is due.
    palermo_roles = DECIDERS
    output = CaseDecisionsSerializer
    refusals = {400: BAD_REQUEST, 404: NOT_FOUND}
    created = True

    def case_of(self, request: Request, reference: str) -> tuple[Case, frozenset[int]]:
        _user, membership = acting(request)
        if membership.role not in DECIDERS:
            raise Http404
        return decision_case(membership, reference), frozenset()

    def target(self, case: Case, **ids: Any) -> Any:
        return decision_on(case, ids["decision_id"]) if "decision_id" in ids else case

    def answer(self, case: Case, tiers: frozenset[int], record: Any) -> Any:
        _user, membership = acting(self.request)
        return _case_document(membership, case)


class CaseDecisions(DecisionWrite):
    palermo_roles = DECISION_READERS
    reading = Reading(
        "Decisions on a case",
        CaseDecisionsSerializer,
        "Every decision (newest first), which stands, and what is due by when.",
    )
    summary = "Take a presumed or identified victim decision"
    description = "Identification authority only. A positive presumed victim decision starts reflection."
    input = DecisionTakeSerializer

    def case_read(self, request: Request, reference: str) -> tuple[Case, frozenset[int]]:
        _user, membership = acting(request)
        return decision_case(membership, reference), frozenset()

    def read(self, case: Case, tiers: frozenset[int], **ids: Any) -> Any:
        return self.answer(case, tiers, case)

    def perform(self, user: Any, membership: Any, target: Any, data: dict[str, Any]) -> Any:
        screening = None
        if "screening" in data:
            screening = (
                screenings_of(target).filter(pk=data["screening"], status=ScreeningStatus.COMPLETE).first()
            )
            if screening is None:
                raise serializers.ValidationError(
                    {"screening": "No completed screening of this case has that id."}
                )
        decision_take(
            actor=user,
            membership=membership,
            case=target,
            kind=data["kind"],
            data=DecisionInput.of(data, screening=screening),
        )


class DecisionReview(DecisionWrite):
    summary = "Reconsider or appeal the decision that stands"
    input = ReviewSerializer

    def perform(self, user: Any, membership: Any, target: Any, data: dict[str, Any]) -> Any:
        decision_review(
            actor=user,
            membership=membership,
            original=target,
            procedure=data["procedure"],
            data=DecisionInput.of(data, requested_at=data.get("requested_at")),
        )


class DecisionReviewRequest(DecisionWrite):
    summary = "Record a request to reconsider or appeal the decision that stands"
    description = (
        "The review is then due under the active rulebook (decisions.review_days), counted from the request; "
        "one open request per decision."
    )
    input = RequestedReviewInSerializer
    service = review_request_record
    acts_on = "original"


class AwaitingSerializer(serializers.Serializer):
    reference = serializers.CharField()
    person_name = serializers.CharField(
        allow_null=True, help_text="Where the caller may read identity (a recorded read); else null."
    )
    opened_at = serializers.DateTimeField()
    awaiting = serializers.ChoiceField(
        DecisionKind.choices, help_text="The decision awaited: presumed or identified victim."
    )
    procedure = serializers.ChoiceField(
        DecisionProcedure.choices,
        help_text="first: the first decision of that kind; reconsideration or appeal: the review asked for.",
    )
    due_at = serializers.DateTimeField()
    overdue = serializers.BooleanField()


class AwaitingQuerySerializer(CaseFacetQuerySerializer):
    """The list's order (soonest due first unless said) and filters; a bad value is a 400."""

    order = serializers.ChoiceField(AwaitingOrder.choices, required=False, help_text="due (default), newest.")
    new = serializers.BooleanField(
        required=False, help_text="true: only referrals awaiting their first (presumed victim) decision."
    )


class AwaitingList(NamedWorklist):
    palermo_roles = DECIDERS
    summary = "Cases awaiting a decision"
    description = (
        "Open cases the authority may see with no presumed victim decision yet, a positive one "
        "and no identified victim decision, or a reconsideration or appeal asked for and not yet decided, "
        "with the deadline of the decision due soonest: soonest due first, or (order=newest) newest "
        "referral first; filtered by the case's form of exploitation, lead agency and child or adult. The "
        "person's name is given where the caller may read identity, and that read is recorded."
    )
    query = AwaitingQuerySerializer
    refusals = {400: BAD_REQUEST, 404: NO_SUCH_PAGE}
    serializer_class = AwaitingSerializer
    model = Case

    def listed(self) -> Any:
        query = AwaitingQuerySerializer(data=self.request.query_params)
        query.is_valid(raise_exception=True)
        _user, membership = acting(self.request)
        params = query.validated_data
        return cases_awaiting_decision(
            membership,
            case_ids=query.case_ids(),
            order=params.get("order", AwaitingOrder.DUE),
            new_only=params.get("new", False),
        )

    def case_id(self, row: Case) -> int:
        return row.pk

    def shown(self, page: list[Case], names: dict[int, str]) -> Any:
        rows = []
        for case in page:
            pending = awaiting_due_at(case)
            rows.append(
                {
                    "reference": case.reference,
                    "person_name": names.get(case.pk),
                    "opened_at": case.opened_at,
                    "awaiting": pending.kind,
                    "procedure": pending.procedure,
                    "due_at": pending.due_at,
                    "overdue": pending.overdue,
                }
            )
        return AwaitingSerializer(rows, many=True).data
