"""The kinds of deadline, registered by the areas that write them (from their AppConfig.ready()).

A kind has a stable key, a translatable label for screens and reminders, and optionally the name of the URL
(taking the case reference) where the work is done, so the "due and overdue" screen links to it. Most kinds
are done by the record that settles them (a decision, a permit); a kind that no record settles (a look-up came
close to a person: be ready to answer) is `marked_done` by someone responsible, from the list itself.
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


_kinds: dict[str, DeadlineKind] = {}


def register_kind(
    key: str, label: str | Promise, url_name: str = "", *, marked_done: bool = False
) -> DeadlineKind:
    kind = _kinds.setdefault(key, DeadlineKind(key, label, url_name, marked_done))
    return kind


def kind_for(key: str) -> DeadlineKind:
    """The registered kind, or one labelled by its key (a kind whose area was removed still shows)."""
    return _kinds.get(key) or DeadlineKind(key, key)


def registered_kinds() -> tuple[DeadlineKind, ...]:
    return tuple(_kinds.values())
