"""The one write path for deadlines. Areas call these inside the transaction that records the fact.

Deadlines are derived data: the fact that causes one (a decision, a permit) is audited by its own service, so
writing a deadline adds no audit event of its own.
"""

from __future__ import annotations

import datetime

from django.db import models
from django.utils import timezone

from palermo.accounts.models import Agency, User
from palermo.cases.models import Case
from palermo.deadlines.models import Deadline


def source_key(source: models.Model) -> tuple[str, str]:
    return source._meta.label_lower, str(source.pk)


def set_deadline(
    *,
    case: Case,
    kind: str,
    due_at: datetime.datetime,
    source: models.Model,
    agency: Agency | None = None,
    user: User | None = None,
) -> Deadline:
    """Create the deadline for (source, kind), or move an existing one; a moved deadline is open again."""
    source_type, source_id = source_key(source)
    deadline, _ = Deadline.objects.update_or_create(
        source_type=source_type,
        source_id=source_id,
        kind=kind,
        defaults={
            "case": case,
            "due_at": due_at,
            "done_at": None,
            "responsible_agency": agency,
            "responsible_user": user,
            "reminded_on": None,
        },
    )
    return deadline


def complete_deadlines(source: models.Model, *kinds: str, at: datetime.datetime | None = None) -> int:
    """Mark the open deadlines of `source` done (only `kinds` when given); returns how many."""
    source_type, source_id = source_key(source)
    open_ones = Deadline.objects.filter(source_type=source_type, source_id=source_id, done_at__isnull=True)
    if kinds:
        open_ones = open_ones.filter(kind__in=kinds)
    return open_ones.update(done_at=at or timezone.now())


def cancel_deadlines(source: models.Model, *kinds: str) -> int:
    """Remove the deadlines of `source` that no longer apply (the fact was withdrawn or replaced)."""
    source_type, source_id = source_key(source)
    found = Deadline.objects.filter(source_type=source_type, source_id=source_id)
    if kinds:
        found = found.filter(kind__in=kinds)
    return found.delete()[0]
