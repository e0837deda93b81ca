"""Optimistic concurrency: an edit states the version it read; a stale version is refused, never merged.

Services call `lock_for_edit(Model, pk=..., expected_version=...)` inside their transaction. It locks the row
(`SELECT ... FOR UPDATE` on PostgreSQL; SQLite's IMMEDIATE transactions already serialise writers), and raises
`StaleEdit` carrying the current row when someone else saved first. The service then bumps the version with
`bump_version(instance)` and saves with `update_fields` including "version". Views catch `StaleEdit` and show
both versions (`core/conflict.html`), so nothing is silently overwritten; the API answers 409 with the current
record (palermo.core.api_errors).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, TypeVar

from django.db import models

M = TypeVar("M", bound=models.Model)


class StaleEdit(Exception):
    """Someone saved this record after the editor read it. Carries the current row, never in the message."""

    def __init__(self, current: models.Model, expected_version: int) -> None:
        super().__init__(f"{current._meta.label} {current.pk}: version {expected_version} is stale")
        self.current = current
        self.expected_version = expected_version
        # The current record as the API view renders it for the caller (api_errors.shows_current).
        self.shown: Any = None


def lock_for_edit(model: type[M], *, expected_version: int, **lookup: Any) -> M:
    instance = model._default_manager.select_for_update().get(**lookup)
    if instance.version != expected_version:  # type: ignore[attr-defined]
        raise StaleEdit(instance, expected_version)
    return instance


def lock_unless_done(
    model: type[M], *, expected_version: int, done: Callable[[M], bool], **lookup: Any
) -> tuple[M, bool]:
    """`lock_for_edit` for a change that puts the record in a final state (an end, a close): when the record
    is already so (`done`: the same form sent twice, or someone did it first), the change is done, whatever
    version was read; the caller writes nothing. The locked record, and whether it was done already."""
    instance = model._default_manager.select_for_update().get(**lookup)
    if done(instance):
        return instance, True
    if instance.version != expected_version:  # type: ignore[attr-defined]
        raise StaleEdit(instance, expected_version)
    return instance, False


def bump_version(instance: models.Model) -> None:
    instance.version += 1  # type: ignore[attr-defined]


# What a form or request may carry beside the record's own fields, never compared.
_NOT_COMPARED = frozenset({"id", "pk", "version", "expected_version"})


def already_saved(current: models.Model, submitted: Mapping[str, Any]) -> bool:
    """Whether a stale edit would change nothing: the same form sent twice (a double press, a resubmit after
    going back) finds its own first save. True when the submission names at least one of the record's fields
    and every one it names already holds the value sent; what it sends beside the record's fields (a reason,
    a version) is not compared. Then the edit is done, not a conflict: nothing to save, nothing to show."""
    fields = {field.name: field for field in current._meta.concrete_fields if field.name not in _NOT_COMPARED}
    compared = [name for name in submitted if name in fields]
    return bool(compared) and all(_same(getattr(current, name), submitted[name]) for name in compared)


def _same(held: Any, sent: Any) -> bool:
    if isinstance(held, models.Model) or isinstance(sent, models.Model):
        return getattr(held, "pk", held) == getattr(sent, "pk", sent)
    if isinstance(held, list | tuple) and isinstance(sent, list | tuple):
        return sorted(map(str, held)) == sorted(map(str, sent))
    if held in (None, "") and sent in (None, ""):
        return True
    return bool(held == sent)
