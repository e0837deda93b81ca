"""Demo identification: every demo case gets its decision deadlines, and a case past identification gets the
positive presumed victim decision that took it there, taken by the demo identification authority where it is
on the case team.

Through the same services as real work, with synthetic reasons. Idempotent: a case with a presumed victim
decision is left as it is, and writing the deadlines again changes nothing.
"""

from __future__ import annotations

from django.db import transaction

from palermo.accounts.models import Membership
from palermo.accounts.roles import Role
from palermo.cases.models import Case
from palermo.demo.common import PAST_IDENTIFICATION
from palermo.identification.deadlines import write_decision_deadlines
from palermo.identification.models import DecisionKind, Ground, IdentificationDecision
from palermo.identification.services.decisions import DecisionInput, decision_take, may_decide

DEMO_AUTHORITY = "demo.identification"
REASONS = (
    "Demo record. The indicators of deceptive recruitment and of coercion at destination are met and the "
    "account is consistent with them: there are reasonable grounds to believe this person is a victim."
)
NOT_HEARD = "Demo record: the child was heard by the guardian before the decision; see the guardian's note."


def _authority() -> Membership | None:
    return (
        Membership.objects.filter(
            user__username=DEMO_AUTHORITY, role=Role.IDENTIFICATION_AUTHORITY, is_active=True
        )
        .select_related("user", "agency")
        .first()
    )


def _presumed_decision(membership: Membership, case: Case) -> None:
    decision_take(
        actor=membership.user,
        membership=membership,
        case=case,
        kind=DecisionKind.PRESUMED,
        data=DecisionInput(
            "positive",
            [Ground.INDICATORS, Ground.ACCOUNT],
            REASONS,
            child_not_heard_reason=NOT_HEARD if case.is_child else "",
        ),
    )


def load_demo(cases: list[Case]) -> None:
    membership = _authority()
    decided = set(
        IdentificationDecision.objects.filter(kind=DecisionKind.PRESUMED).values_list("case_id", flat=True)
    )
    for case in cases:
        past = case.phase in PAST_IDENTIFICATION and case.pk not in decided
        if past and membership is not None and may_decide(membership, case):
            _presumed_decision(membership, case)
        else:
            with transaction.atomic():
                write_decision_deadlines(case)
