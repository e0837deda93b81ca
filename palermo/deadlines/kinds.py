"""The kinds of deadline, registered by the areas that write them (from their AppConfig.ready()).

A kind has a stable key, a translatable label for screens and reminders, and optionally the name of the URL
(taking the case reference) where the work is done, so the "due and overdue" screen links to it. Most kinds
are done by the record that settles them (a decision, a permit); a kind that no record settles (a look-up came
close to a person: be ready to answer) is `marked_done` by someone responsible, from the list itself.

A kind may name its `deciders`: the role whose holders at the responsible agency do the work (an
identification authority's members take an identification decision). The daily reminder tells them when nobody
of that agency is named on the case team (palermo.deadlines.reminders).

A kind that is an `agency_duty` (an entitlement of the reflection period: the rulebook says whose duty it is)
shows on the agency list of its responsible agency only; any other kind also on the lists of the lead agency
and of the agencies on the case team (palermo.deadlines.selectors).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise


@dataclass(frozen=True)
class DeadlineKind:
    key: str
    label: str | Promise
    url_name: str = ""
    marked_done: bool = False
    agency_duty: bool = False
    deciders: str = ""  # a role (palermo.accounts.roles.Role); empty: the case's case managers are told


_kinds: dict[str, DeadlineKind] = {}


def register_kind(
    key: str,
    label: str | Promise,
    url_name: str = "",
    *,
    marked_done: bool = False,
    agency_duty: bool = False,
    deciders: str = "",
) -> DeadlineKind:
    kind = _kinds.setdefault(key, DeadlineKind(key, label, url_name, marked_done, agency_duty, deciders))
    return kind


def kind_for(key: str) -> DeadlineKind:
    """The registered kind, or one labelled by its key (a kind whose area was removed still shows)."""
    return _kinds.get(key) or DeadlineKind(key, key)


def registered_kinds() -> tuple[DeadlineKind, ...]:
    return tuple(_kinds.values())


def kinds_decided_by(role: str) -> list[str]:
    """The keys of the kinds whose deciders hold this role."""
    return sorted(kind.key for kind in _kinds.values() if role and kind.deciders == role)


def kinds_decided_by_another_role(role: str) -> list[str]:
    """The keys of the kinds whose deciders hold another role than this one."""
    return sorted(kind.key for kind in _kinds.values() if kind.deciders and kind.deciders != role)


def agency_duty_kinds() -> list[str]:
    """The keys of the kinds that are one agency's duty alone."""
    return sorted(kind.key for kind in _kinds.values() if kind.agency_duty)
