"""Optimistic concurrency: an edit states the version it read; a stale version is refused, never merged.

Services call `lock_for_edit(Model, pk=..., expected_version=...)` inside their transaction. It locks the row
(`SELECT ... FOR UPDATE` on PostgreSQL; SQLite's IMMEDIATE transactions already serialise writers), and raises
`StaleEdit` carrying the current row when someone else saved first. The service then bumps the version with
`bump_version(instance)` and saves with `update_fields` including "version". Views catch `StaleEdit` and show
both versions (`core/conflict.html`), so nothing is silently overwritten; the API answers 409 with the current
record (palermo.core.api_errors).
"""

from __future__ import annotations

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


def bump_version(instance: models.Model) -> None:
    instance.version += 1  # type: ignore[attr-defined]
