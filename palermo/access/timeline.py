"""A team change or an emergency access goes on the case's timeline, which cases keeps. Access sits below
cases and imports none of it (docs/decisions/0011), so cases registers the writer when ready."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Protocol

from django.core.exceptions import ImproperlyConfigured

from palermo.core.registry import Registry

if TYPE_CHECKING:
    from palermo.accounts.models import Membership, User
    from palermo.cases.models import Case


class TeamEventWriter(Protocol):
    def __call__(
        self,
        *,
        actor: User | None,
        membership: Membership | None,
        case: Case,
        summary: str,
        action: str,
        object_type: str,
        object_id: int,
        reason: str,
        tier: int = ...,
    ) -> None: ...


# The timeline's writer (cases registers it, once, when ready).
_WRITERS: Registry[TeamEventWriter] = Registry()
on_team_event = _WRITERS.add


def _to_every_writer(**change: Any) -> None:
    if not _WRITERS:
        raise ImproperlyConfigured("No case timeline is registered for team changes (palermo.cases does).")
    for writer in _WRITERS:
        writer(**change)


# Put a team change on the case's timeline and in the audit log (one write, palermo.cases'
# record_case_change), inside the caller's transaction; it takes the writers' keyword arguments. `summary` is
# the entry's text, already worded in the deployment's language; `tier` is the entry's
# (T1 unless it names an agency that stands for a place or for care, decision 0020). Refuses rather
# than let the change go unrecorded when no writer is registered.
team_event_add: TeamEventWriter = _to_every_writer
