"""Hook points for other areas, called after the transaction that caused them commits.

A positive presumed victim decision opens the reflection and recovery period for every presumed victim,
whether or not they cooperate: the residence area registers a handler here (for instance in its AppConfig's
ready()) and starts the period. A plain registry of functions, not Django signals: nothing happens unless an
area asks for it, the handler list can be read, and nothing runs inside the decision's transaction.

Handlers receive an event holding ids and times only (no personal data). They run once the decision is
committed, each on its own (a failing handler is logged and does not stop the others), so a handler must be
idempotent and must record its own failures: the decision stands either way.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from palermo.core.registry import Registry


@dataclass(frozen=True)
class VictimDecided:
    """A decision that turned positive: ids and times only."""

    decision_id: int
    case_id: int
    decided_at: datetime.datetime
    # A reconsideration or appeal that turned the decision positive.
    on_review: bool


class PresumedVictimDecided(VictimDecided):
    pass


PresumedVictimHandler = Callable[[PresumedVictimDecided], None]
_presumed_victim_handlers: Registry[PresumedVictimHandler] = Registry()
on_presumed_victim = _presumed_victim_handlers.add
remove_presumed_victim_handler = _presumed_victim_handlers.remove
presumed_victim_handlers = _presumed_victim_handlers.entries


# --- a positive identified victim decision (the routing rules bring the agencies the permit needs) ---


class IdentifiedVictimDecided(VictimDecided):
    pass


IdentifiedVictimHandler = Callable[[IdentifiedVictimDecided], None]
_identified_victim_handlers: Registry[IdentifiedVictimHandler] = Registry()
on_identified_victim = _identified_victim_handlers.add
remove_identified_victim_handler = _identified_victim_handlers.remove

_HANDLERS: dict[type[VictimDecided], Registry[Any]] = {
    PresumedVictimDecided: _presumed_victim_handlers,
    IdentifiedVictimDecided: _identified_victim_handlers,
}


def victim_decided(event: VictimDecided) -> None:
    """Schedule every handler registered for the event's kind for when the current transaction commits."""
    _HANDLERS[type(event)].call_on_commit(event)
