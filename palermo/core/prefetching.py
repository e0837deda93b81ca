"""Records read with the records that hang on them (a return with its follow-ups, a care arrangement with its
reviews): the parents in one query, all their children, each with who recorded it, in one more."""

from __future__ import annotations

from typing import TypeVar

from django.db import models
from django.db.models import Prefetch, QuerySet

M = TypeVar("M", bound=models.Model)


def with_their(records: QuerySet[M], name: str, model: type[models.Model], *order: str) -> QuerySet[M]:
    """`records`, each with its `name` (rows of `model`, with their agency, in `order`) prefetched."""
    children = model._default_manager.select_related("agency").order_by(*order)
    return records.prefetch_related(Prefetch(name, queryset=children))
