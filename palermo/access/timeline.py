"""A team change or an emergency access goes on the case's timeline, which cases keeps. Access sits below
cases and imports none of it (docs/decisions/0011), so cases registers the writer when ready."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ImproperlyConfigured

from palermo.core.registry import Registry

if TYPE_CHECKING:
    from django.db import models

    from palermo.accounts.models import Membership, User
    from palermo.cases.models import Case


@dataclass(frozen=True)
class TeamEvent:
    """A team change or an emergency access: `summary` is the message as marked with gettext_noop (the writer
    words it in the deployment's language), `record` the team entry or the grant, `object_type` what the
    audit event calls it. No free text: a reason stays with its record, encrypted."""

    actor: User | None  # None: the system acted (a routing rule), not a person
    membership: Membership | None
    case: Case
    summary: str
    action: str
    record: models.Model
    object_type: str
    # T1, unless the entry names an agency that stands for a place or for care (decision 0020).
    tier: int = 1
    values: Mapping[str, Any] | None = None  # the summary's placeholders (an agency's name, an occasion)


# The timeline's writer (cases registers it, once, when ready).
_WRITERS: Registry[Callable[[TeamEvent], None]] = Registry()
on_team_event = _WRITERS.add


def team_event_add(event: TeamEvent) -> None:
    """Put a team change on the case's timeline and in the audit log (one write, palermo.cases'
    record_case_change), inside the caller's transaction. Refuses rather than let the change go unrecorded
    when no writer is registered."""
    if not _WRITERS:
        raise ImproperlyConfigured("No case timeline is registered for team changes (palermo.cases does).")
    for writer in _WRITERS:
        writer(event)
