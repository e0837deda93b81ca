"""One record of a case, found by its id among the case's records of its kind."""

from __future__ import annotations

from typing import TypeVar

from django.db import models
from django.shortcuts import get_object_or_404

from palermo.cases.models import Case

Record = TypeVar("Record", bound=models.Model)


def record_on_case(records: models.QuerySet[Record], case: Case, pk: int) -> Record:
    """The record `pk` among `records` (404 when it is not among them), its case the one already loaded, so
    that reading it again costs no query."""
    record = get_object_or_404(records, pk=pk)
    record.case = case  # type: ignore[attr-defined]
    return record
