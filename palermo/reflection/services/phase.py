"""The case's phase follows the period: opening a period on a case still in identification moves it to the
reflection and recovery phase, through the lifecycle service (palermo.cases.services.lifecycle), as the
opener: the user who requested the period, or the decider of the decision that opened it. The lifecycle
decides who may move phases (case managers and the identification authority); when it refuses, the phase
stays as it is and nothing else is recorded.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied

from palermo.accounts.models import Membership, User
from palermo.accounts.roles import Role
from palermo.cases.models import Case, Phase
from palermo.cases.services.lifecycle import case_transition
from palermo.core.transitions import IllegalTransition
from palermo.identification.models import IdentificationDecision


def enter_reflection_phase(case_id: int, *, actor: User | None, membership: Membership | None) -> None:
    """Move a case still in identification to the reflection phase, as the opener. When the lifecycle
    refuses (another phase, or a role that does not move phases), the phase stays and nothing else is
    recorded; the transition records its own timeline entry and audit event."""
    case = Case.objects.get(pk=case_id)
    if case.phase != Phase.IDENTIFICATION or actor is None or membership is None:
        return
    try:
        case_transition(
            actor=actor,
            membership=membership,
            case=case,
            name="start_reflection",
            expected_version=case.version,
        )
    except (IllegalTransition, PermissionDenied):
        return


def decider_of(decision: IdentificationDecision) -> tuple[User, Membership | None]:
    """Who took the decision, acting for the deciding agency as identification authority."""
    membership = Membership.objects.filter(
        user=decision.decided_by,
        agency=decision.agency,
        role=Role.IDENTIFICATION_AUTHORITY,
        is_active=True,
    ).first()
    return decision.decided_by, membership
