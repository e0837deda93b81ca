"""Status machines: one declarative table per status, one function that checks and applies a move (rule 6).

An area declares its table once, as a `Lifecycle` of named `Transition`s (where a move may start, where it
leads, whether it needs a reason, and optionally a guard on who may make it). `Lifecycle.apply` is the one way
a status changes: it checks the move against the table (and the guard), sets the status, bumps the record's
version (palermo.core.concurrency) and returns the fields to save. Anything not in the table raises
`IllegalTransition`, the one error of every status machine, with a plain message that names no person.

The service that applies a move still locks the row first (`lock_for_edit`) and records the move (actor, time,
reason) with its timeline entry and audit event: core knows no case, so it cannot write them itself.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext

from palermo.core.concurrency import bump_version

Guard = Callable[[Any, Any], bool]  # (membership, record) -> whether this membership may make the move


class IllegalTransition(ValidationError):
    """A move the status table does not allow from the record's current status (or an unknown move).

    A ValidationError with code "transition": pages show it as a form error and the API as a refusal, the
    same way as any other invalid input. The message carries status labels only, never personal data."""

    def __init__(self, message: str, params: dict[str, Any] | None = None) -> None:
        super().__init__(message, code="transition", params=params)


@dataclass(frozen=True)
class Transition:
    """A named move: from any of `sources` to `target`. `target` None: the service works out where the move
    leads (a case re-opening goes back to the phase it held before closing)."""

    name: str
    sources: frozenset[str]
    target: str | None
    label: str | Promise = ""
    needs_reason: bool = False
    guard: Guard | None = field(default=None, compare=False)

    def allowed_from(self, status: str) -> bool:
        return status in self.sources


def moves(table: dict[str, Iterable[str]]) -> list[Transition]:
    """Transitions from a plain "status -> the statuses it may become" table, each named after its target."""
    targets = {target for nexts in table.values() for target in nexts}
    return [
        Transition(
            name=str(target),
            sources=frozenset(str(source) for source, nexts in table.items() if target in nexts),
            target=str(target),
        )
        for target in sorted(targets)
    ]


class Lifecycle:
    """The transition table of one status field of one model."""

    def __init__(
        self,
        *,
        noun: str | Promise,
        statuses: type[models.TextChoices],
        transitions: Iterable[Transition],
        field: str = "status",
    ) -> None:
        self.noun = noun
        self.statuses = statuses
        self.field = field
        self.transitions: dict[str, Transition] = {t.name: t for t in transitions}

    def __getitem__(self, name: str) -> Transition:
        return self.transitions[name]

    def __contains__(self, name: object) -> bool:
        return name in self.transitions

    def __iter__(self) -> Any:
        return iter(self.transitions.values())

    def _label(self, status: str) -> str:
        try:
            return str(self.statuses(status).label).lower()
        except ValueError:
            return str(status)

    def refuse(self, status: str, name: str) -> IllegalTransition:
        transition = self.transitions.get(name)
        to = self._label(transition.target) if transition and transition.target else str(name)
        return IllegalTransition(
            gettext("This %(noun)s is %(status)s: it cannot become %(to)s."),
            params={"noun": str(self.noun), "status": self._label(status), "to": to},
        )

    def available(self, status: str, *, membership: Any = None, record: Any = None) -> list[Transition]:
        """The moves legal from `status` (and, given a membership, the ones its guard lets it make)."""
        return [
            t
            for t in self.transitions.values()
            if t.allowed_from(status) and (membership is None or self.permits(t, membership, record))
        ]

    @staticmethod
    def permits(transition: Transition, membership: Any, record: Any) -> bool:
        return transition.guard is None or bool(transition.guard(membership, record))

    def check(self, name: str, *, current: str) -> Transition:
        """The transition `name` if the table allows it from `current`; IllegalTransition otherwise."""
        transition = self.transitions.get(name)
        if transition is None or not transition.allowed_from(str(current)):
            raise self.refuse(str(current), name)
        return transition

    def apply(self, record: models.Model, name: str, *, membership: Any = None) -> list[str]:
        """Check the move from the record's current status (and its guard, given a membership), set the new
        status, bump the version, and return the fields to save. The record should be locked by the caller.
        A guard that refuses raises PermissionDenied, as every other "not yours to do" does."""
        transition = self.check(name, current=getattr(record, self.field))
        if membership is not None and not self.permits(transition, membership, record):
            raise PermissionDenied("this membership may not make this move")
        if transition.target is not None:
            setattr(record, self.field, transition.target)
        bump_version(record)
        return [self.field, "version"]
