"""The case lifecycle: the one transition table for a case's phase and status (architecture rule 6).

A transition names where it may start, where it leads, the status it gives, whether it needs a reason, and
who may make it. Anything not in the table raises `IllegalTransition` (palermo.core.transitions). Services
apply transitions; nothing else changes phase or status.

Who may (the access policy decides the case, the guard the duty):
- Every transition needs write access to the case's metadata (`can_write(membership, case, T1)`): team
  members and whoever the access matrix lets write; outsiders never reach this far.
- Phase moves (reflection, assistance, long-term, follow-up) are the work of the case manager, who runs the
  assistance, and of the identification authority, whose decisions open the reflection period.
- Closing and re-opening end or restart everyone's work on the case, so they are kept to the identification
  authority and to the case manager of the lead agency; a case manager of another agency on the team (a
  shelter's, say) cannot close the whole case.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.utils.translation import gettext_lazy as _

from palermo.access.closure import OnClosedCase
from palermo.access.policy import can_write
from palermo.access.tiers import Tier
from palermo.accounts.models import Membership
from palermo.accounts.roles import Role
from palermo.cases.models import Case, Phase
from palermo.cases.reference import CaseStatus, ClosureReason
from palermo.core.transitions import Guard, IllegalTransition, Lifecycle, Transition

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

OPEN_PHASES = frozenset({Phase.IDENTIFICATION, Phase.REFLECTION, Phase.ASSISTANCE, Phase.LONG_TERM})
PHASE_ROLES = frozenset({Role.CASE_MANAGER, Role.IDENTIFICATION_AUTHORITY})


def moves_phase(membership: Membership, case: Case) -> bool:
    return membership.role in PHASE_ROLES and can_write(membership, case, Tier.METADATA)


def closes(membership: Membership, case: Case) -> bool:
    if not moves_phase(membership, case):
        return False
    return membership.role != Role.CASE_MANAGER or membership.agency_id == case.lead_agency_id


def reopens(membership: Membership, case: Case) -> bool:
    """Whoever may close may re-open: the one write a closed case takes on its metadata
    (palermo.access.closure)."""
    if membership.role not in PHASE_ROLES:
        return False
    if not can_write(membership, case, Tier.METADATA, action=OnClosedCase.REOPEN):
        return False
    return membership.role != Role.CASE_MANAGER or membership.agency_id == case.lead_agency_id


@dataclass(frozen=True)
class CaseTransition(Transition):
    """A move of the case's phase that also sets its status (target None: back to the phase held before
    closing, when re-opening)."""

    status: str = CaseStatus.ACTIVE
    guard: Guard | None = field(default=moves_phase, compare=False)


def closure(name: str, label: StrOrPromise, status: CaseStatus) -> CaseTransition:
    """A closure: from any open phase, with a reason, by those who may close the case; `status` says how it
    ended."""
    return CaseTransition(
        name, OPEN_PHASES, Phase.CLOSED, label, needs_reason=True, status=status, guard=closes
    )


LIFECYCLE = Lifecycle(
    noun=_("case"),
    statuses=Phase,
    field="phase",
    transitions=[
        CaseTransition(
            "start_reflection",
            frozenset({Phase.IDENTIFICATION, Phase.ASSISTANCE}),
            Phase.REFLECTION,
            _("Start the reflection and recovery period"),
        ),
        CaseTransition(
            "start_assistance",
            frozenset({Phase.IDENTIFICATION, Phase.REFLECTION, Phase.LONG_TERM}),
            Phase.ASSISTANCE,
            _("Move to assistance"),
        ),
        CaseTransition(
            "start_long_term",
            frozenset({Phase.REFLECTION, Phase.ASSISTANCE}),
            Phase.LONG_TERM,
            _("Move to a long-term solution"),
        ),
        CaseTransition(
            "follow_up",
            frozenset({Phase.LONG_TERM}),
            Phase.LONG_TERM,
            _("Move to follow-up"),
            status=CaseStatus.FOLLOW_UP,
        ),
        closure("close", _("Close the case"), CaseStatus.CLOSED),
        closure("close_referred", _("Close: referred elsewhere"), CaseStatus.CLOSED_REFERRED),
        CaseTransition(
            "reopen", frozenset({Phase.CLOSED}), None, _("Re-open the case"), needs_reason=True, guard=reopens
        ),
    ],
)

# The table by name, for the forms and the API's choices.
TRANSITIONS: dict[str, Transition] = LIFECYCLE.transitions


def closure_reason_required(transition: Transition) -> bool:
    return transition.target == Phase.CLOSED


__all__ = [
    "LIFECYCLE",
    "TRANSITIONS",
    "CaseTransition",
    "ClosureReason",
    "IllegalTransition",
    "Transition",
    "closure_reason_required",
]
