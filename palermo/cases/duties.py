"""Timeline entries and deadlines that only a duty may read (docs/decisions/0034): the proceedings area's
entries ("Hearing scheduled", "Protection measure planned") and its deadlines tell that there are proceedings,
which a residence decider must never learn, whatever tiers they read. An area registers its kinds with the
check of its own duty; the case timeline and the deadline lists leave them out for a reader without it."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from palermo.accounts.models import Membership

MayRead = Callable[["Membership"], bool]

_timeline_kinds: dict[str, MayRead] = {}
_deadline_kinds: dict[str, MayRead] = {}


def register_duty_timeline_kind(kind: str, may_read: MayRead) -> None:
    _timeline_kinds[kind] = may_read


def register_duty_deadline_kind(kind: str, may_read: MayRead) -> None:
    _deadline_kinds[kind] = may_read


def _hidden(kinds: dict[str, MayRead], membership: Membership | None) -> frozenset[str]:
    return frozenset(
        kind for kind, may_read in kinds.items() if membership is None or not may_read(membership)
    )


def timeline_kinds_hidden_from(membership: Membership | None) -> frozenset[str]:
    """The timeline entry kinds this reader's duty does not open."""
    return _hidden(_timeline_kinds, membership)


def deadline_kinds_hidden_from(membership: Membership | None) -> frozenset[str]:
    """The deadline kinds this reader's duty does not open."""
    return _hidden(_deadline_kinds, membership)
