"""The case lifecycle: the one transition table for a case's phase and status (architecture rule 6).

A transition names where it may start, where it leads, and whether it needs a reason. Anything not in the
table raises `IllegalTransition`. Services apply transitions; nothing else changes phase or status.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from palermo.cases.models import Phase
from palermo.cases.reference import CaseStatus, ClosureReason
from palermo.core.api_errors import Refusal


class IllegalTransition(Refusal, ValueError):
    public_message = _("This transition is not possible from the case's current phase.")


OPEN_PHASES = frozenset({Phase.IDENTIFICATION, Phase.REFLECTION, Phase.ASSISTANCE, Phase.LONG_TERM})


@dataclass(frozen=True)
class Transition:
    name: str
    label: str | Promise
    sources: frozenset[Phase]
    target: Phase | None  # None: back to the phase held before closing (re-opening)
    status: CaseStatus
    needs_reason: bool = False


TRANSITIONS: dict[str, Transition] = {
    t.name: t
    for t in [
        Transition(
            "start_reflection",
            _("Start the reflection and recovery period"),
            frozenset({Phase.IDENTIFICATION, Phase.ASSISTANCE}),
            Phase.REFLECTION,
            CaseStatus.ACTIVE,
        ),
        Transition(
            "start_assistance",
            _("Move to assistance"),
            frozenset({Phase.IDENTIFICATION, Phase.REFLECTION, Phase.LONG_TERM}),
            Phase.ASSISTANCE,
            CaseStatus.ACTIVE,
        ),
        Transition(
            "start_long_term",
            _("Move to a long-term solution"),
            frozenset({Phase.REFLECTION, Phase.ASSISTANCE}),
            Phase.LONG_TERM,
            CaseStatus.ACTIVE,
        ),
        Transition(
            "follow_up",
            _("Move to follow-up"),
            frozenset({Phase.LONG_TERM}),
            Phase.LONG_TERM,
            CaseStatus.FOLLOW_UP,
        ),
        Transition(
            "close", _("Close the case"), OPEN_PHASES, Phase.CLOSED, CaseStatus.CLOSED, needs_reason=True
        ),
        Transition(
            "close_referred",
            _("Close: referred elsewhere"),
            OPEN_PHASES,
            Phase.CLOSED,
            CaseStatus.CLOSED_REFERRED,
            needs_reason=True,
        ),
        Transition(
            "reopen",
            _("Re-open the case"),
            frozenset({Phase.CLOSED}),
            None,
            CaseStatus.ACTIVE,
            needs_reason=True,
        ),
    ]
}


def transition_for(name: str, *, current: Phase | str) -> Transition:
    transition = TRANSITIONS.get(name)
    if transition is None:
        raise IllegalTransition(f"unknown transition {name!r}")
    if Phase(current) not in transition.sources:
        raise IllegalTransition(f"{name!r} is not allowed from phase {current!r}")
    return transition


def available_transitions(current: Phase | str) -> list[Transition]:
    return [t for t in TRANSITIONS.values() if Phase(current) in t.sources]


def closure_reason_required(transition: Transition) -> bool:
    return transition.target == Phase.CLOSED


__all__ = [
    "TRANSITIONS",
    "ClosureReason",
    "IllegalTransition",
    "Transition",
    "available_transitions",
    "transition_for",
]
