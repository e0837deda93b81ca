"""Demo identification: every demo case gets its decision deadlines, and a case past identification gets the
positive presumed victim decision that took it there, taken by the demo identification authority where it is
on the case team; a case that went on to assistance, also the identified victim decision (`take_identified`);
most referrals that stayed in identification for weeks, a negative presumed victim decision
(`decide_negative`).

Through the same services as real work, with synthetic reasons. Idempotent: a case with a presumed victim
decision is left as it is, and writing the deadlines again changes nothing.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.db import transaction

from palermo.accounts.models import Membership
from palermo.accounts.roles import Role
from palermo.cases.models import Case, Phase
from palermo.demo.common import PAST_IDENTIFICATION, demo_member
from palermo.identification.deadlines import write_decision_deadlines
from palermo.identification.models import DecisionKind, DecisionOutcome, Ground, IdentificationDecision
from palermo.identification.services.decisions import DecisionInput, decision_take, may_decide

DEMO_AUTHORITY = "demo.identification"
GROUNDS = [Ground.INDICATORS, Ground.ACCOUNT]
REASONS = (
    "Demo record. The indicators of deceptive recruitment and of coercion at destination are met and the "
    "account is consistent with them: there are reasonable grounds to believe this person is a victim."
)
IDENTIFIED_REASONS = (
    "Demo record. The person's account, the documents and the reflection period's findings establish the "
    "recruitment, the means and the purpose of exploitation: the person is identified as a victim."
)
NEGATIVE_REASONS = (
    "Demo record. The account and the screening do not show the means of trafficking; the person was told of "
    "the reasons, of the right to ask for a reconsideration with new information, and of other support."
)
NOT_HEARD = "Demo record: the child was heard by the guardian before the decision; see the guardian's note."


def _authority() -> Membership | None:
    return demo_member(DEMO_AUTHORITY, Role.IDENTIFICATION_AUTHORITY)


def _decide(
    membership: Membership, case: Case, kind: str, outcome: str, grounds: Sequence[str], reasons: str
) -> None:
    """A first decision of the demo identification authority, through the decision service."""
    data = DecisionInput(
        outcome, list(grounds), reasons, child_not_heard_reason=NOT_HEARD if case.is_child else ""
    )
    decision_take(actor=membership.user, membership=membership, case=case, kind=kind, data=data)


def load_demo(cases: list[Case], first: int = 0) -> None:
    membership = _authority()
    decided = set(
        IdentificationDecision.objects.filter(kind=DecisionKind.PRESUMED).values_list("case_id", flat=True)
    )
    for case in cases:
        past = case.phase in PAST_IDENTIFICATION and case.pk not in decided
        if past and membership is not None and may_decide(membership, case):
            _decide(membership, case, DecisionKind.PRESUMED, DecisionOutcome.POSITIVE, GROUNDS, REASONS)
        else:
            with transaction.atomic():
                write_decision_deadlines(case)


def take_identified(cases: list[Case], first: int = 0) -> None:
    """The identified victim decision that ends the reflection period, positive, taken by the demo
    identification authority on a case with a positive presumed victim decision and none yet."""
    membership = _authority()
    if membership is None:
        return
    for case in cases:
        decided = IdentificationDecision.objects.filter(case=case, outcome=DecisionOutcome.POSITIVE)
        presumed = decided.filter(kind=DecisionKind.PRESUMED).exists()
        if not presumed or decided.filter(kind=DecisionKind.IDENTIFIED).exists():
            continue
        if not may_decide(membership, case):
            continue
        try:
            _decide(
                membership,
                case,
                DecisionKind.IDENTIFIED,
                DecisionOutcome.POSITIVE,
                GROUNDS,
                IDENTIFIED_REASONS,
            )
        except ValidationError:  # a rule of the decision refuses it on this case: left undecided
            continue


def decide_negative(cases: list[Case], first: int = 0) -> None:
    """A referral that stayed in identification for weeks did not wait that long undecided: the demo
    identification authority took a negative presumed victim decision on three in four (the fourth is the
    backlog the worklists show)."""
    membership = _authority()
    if membership is None:
        return
    for index, case in enumerate(cases, start=first):
        if index % 4 == 0 or case.phase != Phase.IDENTIFICATION or not may_decide(membership, case):
            continue
        if IdentificationDecision.objects.filter(case=case, kind=DecisionKind.PRESUMED).exists():
            continue
        try:
            _decide(
                membership,
                case,
                DecisionKind.PRESUMED,
                DecisionOutcome.NEGATIVE,
                [Ground.ELEMENTS_NOT_MET],
                NEGATIVE_REASONS,
            )
        except ValidationError:  # a rule of the decision refuses it on this case: it keeps waiting
            continue
