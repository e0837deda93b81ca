"""What other areas do when a case is opened, or later becomes a child's case, inside the transaction that
makes it so.

Areas register a handler (from their AppConfig.ready()); the intake calls `case_opened(case)` once the case,
its person and its team exist, before it commits: a handler's writes (a deadline, say) are part of the same
all-or-nothing opening, and a handler that fails refuses the whole referral. Handlers receive the case only
and must be idempotent. A plain registry of functions, not Django signals: the list can be read.
"""

from __future__ import annotations

from collections.abc import Callable

from palermo.cases.models import Case
from palermo.core.registry import Registry

CaseOpenedHandler = Callable[[Case], object]
_handlers: Registry[CaseOpenedHandler] = Registry()
on_case_opened = _handlers.add
case_opened_handlers = _handlers.entries


def case_opened(case: Case) -> None:
    for handler in case_opened_handlers():
        handler(case)


# --- a case that becomes a child's case after it was opened (a birth date, an age assessment) ---

_child_handlers: Registry[CaseOpenedHandler] = Registry()
on_case_became_child = _child_handlers.add


def case_became_child(case: Case) -> None:
    """Called by the services that set `Case.is_child` to true, in their transaction."""
    for handler in tuple(_child_handlers):
        handler(case)
