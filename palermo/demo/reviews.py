"""Demo reconsiderations: a negative presumed victim decision is not always the end. On one in three, the NGO
brings new information weeks later and the identification authority records the request for a
reconsideration (`ask`); weeks after that, it reconsiders and the decision stands, with the reasons and the
right of appeal told (`answer`). The request's review deadline is on the authority's worklist meanwhile, so a
recent request shows as due. Through the review services. Idempotent: a decision with a request is left as
it is.
"""

from __future__ import annotations

from palermo.accounts.roles import Role
from palermo.cases.models import Case
from palermo.demo.common import demo_member, done_by
from palermo.identification.models import (
    DecisionKind,
    DecisionOutcome,
    DecisionProcedure,
    Ground,
    IdentificationDecision,
    ReviewRequest,
)
from palermo.identification.services.decisions import DecisionInput, current_decision, may_decide
from palermo.identification.services.reviews import decision_review, open_request, review_request_record

AUTHORITY = ("demo.identification", Role.IDENTIFICATION_AUTHORITY)
EVERY = 3
UPHELD = (
    "Demo record. Reconsidered with the new information the NGO brought (a former co-worker's statement): it "
    "shows hard conditions but not the means of trafficking. The decision stands; the person was told of the "
    "reasons and of the right to appeal to the court."
)
NOT_HEARD = "Demo record: the child was heard by the guardian before the reconsideration; see the note."


def _negative(case: Case) -> IdentificationDecision | None:
    decision = current_decision(case, DecisionKind.PRESUMED)
    return decision if decision is not None and decision.outcome == DecisionOutcome.NEGATIVE else None


def ask(cases: list[Case], first: int = 0) -> None:
    """On one negative presumed victim decision in EVERY, a reconsideration requested."""
    authority = demo_member(*AUTHORITY)
    for number, case in enumerate(cases, start=first):
        decision = _negative(case)
        if number % EVERY or decision is None or authority is None or not may_decide(authority, case):
            continue
        if ReviewRequest.objects.filter(decision=decision).exists():
            continue
        review_request_record(
            **done_by(authority),
            original=decision,
            procedure=DecisionProcedure.RECONSIDERATION,
        )


def answer(cases: list[Case], first: int = 0) -> None:
    """The requested reconsiderations decided: the negative decision stands."""
    authority = demo_member(*AUTHORITY)
    for case in cases:
        decision = _negative(case)
        if decision is None or authority is None or open_request(decision) is None:
            continue
        data = DecisionInput(
            DecisionOutcome.NEGATIVE,
            [Ground.ELEMENTS_NOT_MET],
            UPHELD,
            child_not_heard_reason=NOT_HEARD if case.is_child else "",
        )
        decision_review(
            **done_by(authority),
            original=decision,
            procedure=DecisionProcedure.RECONSIDERATION,
            data=data,
        )
