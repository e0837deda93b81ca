"""The case lifecycle: the one transition table for a case's phase and status (architecture rule 6).

A transition names where it may start, where it leads, the status it gives, and whether it needs a reason.
Anything not in the table raises `IllegalTransition` (palermo.core.transitions). Services apply transitions;
nothing else changes phase or status.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from palermo.cases.models import Phase
from palermo.cases.reference import CaseStatus, ClosureReason
from palermo.core.transitions import IllegalTransition, Lifecycle, Transition

OPEN_PHASES = frozenset({Phase.IDENTIFICATION, Phase.REFLECTION, Phase.ASSISTANCE, Phase.LONG_TERM})


@dataclass(frozen=True)
class CaseTransition(Transition):
    """A move of the case's phase that also sets its status (target None: back to the phase held before
    closing, when re-opening)."""

    status: str = CaseStatus.ACTIVE


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
        CaseTransition(
            "close",
            OPEN_PHASES,
            Phase.CLOSED,
            _("Close the case"),
            needs_reason=True,
            status=CaseStatus.CLOSED,
        ),
        CaseTransition(
            "close_referred",
            OPEN_PHASES,
            Phase.CLOSED,
            _("Close: referred elsewhere"),
            needs_reason=True,
            status=CaseStatus.CLOSED_REFERRED,
        ),
        CaseTransition("reopen", frozenset({Phase.CLOSED}), None, _("Re-open the case"), needs_reason=True),
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
