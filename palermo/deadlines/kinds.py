"""The kinds of deadline, registered by the areas that write them (from their AppConfig.ready()).

A kind has a stable key, a translatable label for screens and reminders, and optionally the name of the URL
(taking the case reference) where the work is done, so the "due and overdue" screen links to it.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise


@dataclass(frozen=True)
class DeadlineKind:
    key: str
    label: str | Promise
    url_name: str = ""


_kinds: dict[str, DeadlineKind] = {}


def register_kind(key: str, label: str | Promise, url_name: str = "") -> DeadlineKind:
    kind = _kinds.setdefault(key, DeadlineKind(key, label, url_name))
    return kind


def kind_for(key: str) -> DeadlineKind:
    """The registered kind, or one labelled by its key (a kind whose area was removed still shows)."""
    return _kinds.get(key) or DeadlineKind(key, key)


def registered_kinds() -> tuple[DeadlineKind, ...]:
    return tuple(_kinds.values())
