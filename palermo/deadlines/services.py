"""The one write path for deadlines. Areas call these inside the transaction that records the fact.

Deadlines are derived data: the fact that causes one (a decision, a permit) is audited by its own service, so
writing a deadline adds no audit event of its own. The one exception is a person marking done a task that no
record settles (`deadline_mark_done`): that is a change of its own, on the case's timeline and audit record.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from palermo.access.tiers import Tier
from palermo.accounts.models import Agency, Membership, User
from palermo.cases.models import Case, EventKind
from palermo.cases.services.timeline import Entry, record_entry
from palermo.core.days import end_of_day
from palermo.deadlines.kinds import kind_for
from palermo.deadlines.models import Deadline

DEALT_WITH = Entry(
    gettext_noop("Task dealt with: %(task)s"), "deadline.done", Tier.METADATA, EventKind.STATUS
)


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


def set_deadline_on(
    day: datetime.date,
    *,
    case: Case,
    kind: str,
    source: models.Model,
    agency: Agency | None = None,
    user: User | None = None,
) -> Deadline:
    """`set_deadline` falling due at the end of `day`, in the deployment's time zone."""
    return set_deadline(case=case, kind=kind, due_at=end_of_day(day), source=source, agency=agency, user=user)


def add_deadlines(
    case: Case, due: Iterable[tuple[models.Model, str, datetime.datetime, Agency | None]]
) -> list[Deadline]:
    """The first deadlines of new sources (records just created, none of them with a deadline yet), as
    (source, kind, due_at, agency), in one insert; `set_deadline` for a source that may have one."""
    return Deadline.objects.bulk_create(
        Deadline(
            case=case,
            kind=kind,
            due_at=due_at,
            source_type=source_key(source)[0],
            source_id=source_key(source)[1],
            responsible_agency=agency,
        )
        for source, kind, due_at, agency in due
    )


def complete_deadlines(source: models.Model, *kinds: str, at: datetime.datetime | None = None) -> int:
    """Mark the open deadlines of `source` done (only `kinds` when given); returns how many."""
    source_type, source_id = source_key(source)
    open_ones = Deadline.objects.filter(source_type=source_type, source_id=source_id, done_at__isnull=True)
    if kinds:
        open_ones = open_ones.filter(kind__in=kinds)
    return open_ones.update(done_at=at or timezone.now())


def reassign_deadlines(case: Case, kinds: Iterable[str], agency: Agency) -> int:
    """Give the open deadlines of these kinds on a case to another agency (whose duty they now are); returns
    how many moved. Derived data, like the deadline itself: the team change that moved them is recorded."""
    return (
        Deadline.objects.filter(case=case, kind__in=list(kinds), done_at__isnull=True)
        .exclude(responsible_agency=agency)
        .update(responsible_agency=agency, updated_at=timezone.now())
    )


def cancel_deadlines(source: models.Model, *kinds: str) -> int:
    """Remove the deadlines of `source` that no longer apply (the fact was withdrawn or replaced)."""
    source_type, source_id = source_key(source)
    found = Deadline.objects.filter(source_type=source_type, source_id=source_id)
    if kinds:
        found = found.filter(kind__in=kinds)
    return found.delete()[0]


def deadline_mark_done(*, actor: User, membership: Membership, deadline: Deadline) -> Deadline:
    """Someone responsible says a task that no record settles is dealt with (its kind is `marked_done`). The
    caller found the deadline among its agency's open ones (`deadlines.selectors.open_deadline_of`)."""
    kind = kind_for(deadline.kind)
    if not kind.marked_done:
        raise ValidationError(_("This deadline is done by recording what it asks for, not by marking it."))
    with transaction.atomic():
        locked = Deadline.objects.select_for_update().get(pk=deadline.pk)
        if locked.done_at is not None:
            raise ValidationError(_("This task was already marked as dealt with."))
        locked.done_at = timezone.now()
        locked.save(update_fields=["done_at", "updated_at"])
        values = {"task": kind.label}  # said in the entry's language, kept by its source for each reader
        record_entry(DEALT_WITH, locked, actor=actor, membership=membership, values=values)
    return locked
