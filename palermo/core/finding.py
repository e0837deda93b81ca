"""One record found for a reader, or a 404: "does not exist" and "not allowed" look the same (rule 2)."""

from __future__ import annotations

from typing import TypeVar

from django.db import models
from django.db.models import QuerySet
from django.http import Http404

M = TypeVar("M", bound=models.Model)


def first_or_404(found: QuerySet[M]) -> M:
    """The first row of `found` (a query already narrowed to what the reader may see), else Http404."""
    record = found.first()
    if record is None:
        raise Http404
    return record
