"""A list's optional filters: a search form or query string gives some of them, each narrowing the list only
when it holds a value."""

from __future__ import annotations

from typing import Any, TypeVar

from django.db.models import Model, QuerySet

M = TypeVar("M", bound=Model)


def narrowed(rows: QuerySet[M], **lookups: Any) -> QuerySet[M]:
    """`rows` filtered by each lookup that holds a value (an empty string, None or False filters nothing),
    one `filter()` each in the order given, so that each multi-valued relation joins on its own, as chained
    filters do. The values are plain ones (strings, numbers, flags), never a queryset, which would be
    evaluated to test it."""
    for lookup, value in lookups.items():
        if value:
            rows = rows.filter(**{lookup: value})
    return rows
