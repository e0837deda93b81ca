"""A closed case stays as it was closed: the one decision of what may still be written on it.

Closing a case ends everyone's work on it, so nothing of it changes until it is re-opened, with three
exceptions, each needed precisely because the case is closed:
- re-opening it (which restores every write as it was: nothing is deleted or locked, only refused);
- withdrawing a consent (a person's right, which does not wait for a case to be open);
- a note explaining why (the record of why the case is re-opened, or what happened after closing).

Who consults this:
- the access policy (`palermo.access.policy.tiers_writable` / `can_write` / `can_manage_team`): on a closed
  case no tier is writable unless the write is one of the exceptions, so every service refuses (commands
  included) and every page hides the forms it shows only to those who may write;
- every door (`ClosedCaseMiddleware`): a page's or the API's write to a closed case that is not declared one
  of the exceptions (`on_closed_case`) is refused before the view runs, 409 `closed` with the reason, in the
  one error shape of palermo.core.api_errors;
- the services raise `CaseClosed` (`require_open`) where they want to say why rather than "not allowed".
"""

from __future__ import annotations

from collections.abc import Callable
from enum import StrEnum
from typing import Any, Final

from django.utils.translation import gettext_lazy as _
from rest_framework import status

from palermo.core.api_errors import Refusal

# palermo.cases.models.Phase.CLOSED (access sits below cases; a test keeps the two equal).
CLOSED_PHASE: Final = "closed"


class OnClosedCase(StrEnum):
    """The writes a closed case still takes."""

    REOPEN = "reopen"
    WITHDRAW_CONSENT = "withdraw_consent"
    EXPLAIN = "explain"  # a note saying why


CLOSED_MESSAGE: Final = _(
    "This case is closed, so nothing on it can be changed. Re-open it first (Phase and status: Re-open the "
    "case); while it is closed you can still add a note explaining why, or withdraw a consent."
)


class CaseClosed(Refusal):
    """A write refused because the case is closed: 409 `closed` in the API."""

    status_code = status.HTTP_409_CONFLICT
    code = "closed"
    public_message = CLOSED_MESSAGE


def is_closed(case: Any) -> bool:
    return getattr(case, "phase", None) == CLOSED_PHASE


def may_write_on(case: Any, action: OnClosedCase | str | None = None) -> bool:
    """Whether a write may be made on this case given its status: always on an open case; on a closed one
    only re-opening, withdrawing a consent and a note explaining why."""
    if not is_closed(case):
        return True
    return action is not None and action in OnClosedCase.__members__.values()


def require_open(case: Any, action: OnClosedCase | str | None = None) -> None:
    """Raise CaseClosed unless `may_write_on(case, action)`."""
    if not may_write_on(case, action):
        raise CaseClosed("the case is closed")


# --- what a view declares ---

ViewFunc = Callable[..., Any]
ATTRIBUTE: Final = "palermo_on_closed_case"


def on_closed_case(action: OnClosedCase) -> Callable[[ViewFunc], ViewFunc]:
    """Declare that a view's writes are this exception (a class may set `palermo_on_closed_case` instead)."""

    def mark(view: ViewFunc) -> ViewFunc:
        setattr(view, ATTRIBUTE, OnClosedCase(action))
        return view

    return mark


def declared_on_closed_case(view: ViewFunc) -> OnClosedCase | None:
    """What a resolved view declared, looking through class-based and DRF views."""
    for candidate in (view, getattr(view, "view_class", None), getattr(view, "cls", None)):
        action = getattr(candidate, ATTRIBUTE, None)
        if action is not None:
            return OnClosedCase(action)
    return None
