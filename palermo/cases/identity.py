"""Hooks for what a higher layer keeps about a person's identity (docs/decisions/0011, 0042).

- `on_identity_changed`: a callback given the ids of persons whose names, aliases or birth date were just
  written, called inside the writing transaction (the linkage area keeps its search keys this way);
- `provide_person_matcher`: the matching the intake's duplicate warning uses. Without one (the linkage area
  not installed), the warning matches exactly on the blind indexes.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable, Sequence

IdentityListener = Callable[[Sequence[int]], None]
# Given names (any script) and a birth date: the ids of cases with a person who is likely the same.
PersonMatcher = Callable[[Sequence[str], datetime.date], set[int]]

_LISTENERS: list[IdentityListener] = []
_MATCHER: list[PersonMatcher] = []


def on_identity_changed(listener: IdentityListener) -> None:
    if listener not in _LISTENERS:
        _LISTENERS.append(listener)


def identity_changed(person_ids: Iterable[int]) -> None:
    ids = sorted(set(person_ids))
    if ids:
        for listener in _LISTENERS:
            listener(ids)


def provide_person_matcher(matcher: PersonMatcher) -> None:
    _MATCHER[:] = [matcher]


def person_matcher() -> PersonMatcher | None:
    return _MATCHER[0] if _MATCHER else None
