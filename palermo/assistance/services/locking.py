"""Locking an assistance record of a case for a change, keeping the case already read on the locked row (the
services' answers and entries read it: no query again)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django.db import models

from palermo.core.concurrency import lock_unless_done

Record = TypeVar("Record", bound=models.Model)


def lock_final(
    model: type[Record], record: Any, *, expected_version: int, done: Callable[[Record], bool]
) -> tuple[Record, bool]:
    """`lock_unless_done` for a change to a final state (a close, an end, a withdrawal) of `record`: the
    locked row, with the case of `record`, and whether the change was done already."""
    locked, already = lock_unless_done(model, pk=record.pk, expected_version=expected_version, done=done)
    locked.case = record.case  # type: ignore[attr-defined]
    return locked, already
