"""The registry through which a lower layer hears of a higher one's events (architecture: layers), the same in
every area: an ordered list of functions that areas register from their AppConfig.ready(). A plain registry,
not Django signals: nothing happens unless an area asks for it, and the list can be read."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from functools import partial
from typing import Any, Generic, TypeVar

from django.db import transaction

F = TypeVar("F", bound=Callable[..., Any])


class Registry(Generic[F]):
    def __init__(self) -> None:
        self._entries: list[F] = []

    def add(self, entry: F) -> F:
        """Register a function (usable as a decorator); registering the same one twice changes nothing."""
        if entry not in self._entries:
            self._entries.append(entry)
        return entry

    def remove(self, entry: F) -> None:
        if entry in self._entries:
            self._entries.remove(entry)

    def entries(self) -> tuple[F, ...]:
        # A copy: a function may register or remove others while the list is walked.
        return tuple(self._entries)

    def __iter__(self) -> Iterator[F]:
        return iter(self.entries())

    def __len__(self) -> int:
        return len(self._entries)

    def call_on_commit(self, event: Any) -> None:
        """Schedule each function with the event for after the transaction commits; a failing one (logged by
        Django) does not stop the others."""
        for entry in self.entries():
            transaction.on_commit(partial(entry, event), robust=True)
