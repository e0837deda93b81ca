"""Follow-up contacts after a return, the same for a child's return decided here before (palermo.children
.services.solutions) and for a return of the returns area (palermo.returns.services.returns): one contact for
each interval of the rulebook from the day of return, each a deadline until it is recorded, once.

The follow-up model has the case, `due_on`, `contacted_on`, `recorded_by`, `agency`, and a text field for what
the contact found (its name differs by area), and links to the return it follows.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any, TypeVar

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils.translation import gettext_lazy as _

from palermo.access.tiers import Tier
from palermo.accounts.models import Agency, Membership, User
from palermo.cases.models import Case
from palermo.cases.services.timeline import Entry, record_entry
from palermo.children.services.common import clean_past_day, clean_text, day_start, require_write
from palermo.core.periods import add_days
from palermo.deadlines.services import complete_deadlines, set_deadline

FollowUp = TypeVar("FollowUp", bound=models.Model)


def followups_schedule(
    model: type[models.Model],
    kind: str,
    *,
    case: Case,
    agency: Agency,
    returned_on: datetime.date,
    days: Iterable[int],
    **parent: Any,
) -> None:
    """One follow-up contact (of `model`, linked to the return by `parent`) for each of `days` after the day
    of return, each a deadline of `kind` held by `agency`."""
    for day in days:
        followup = model(case=case, due_on=add_days(returned_on, day), **parent)
        followup.save()
        due_at = day_start(followup.due_on)  # type: ignore[attr-defined]
        set_deadline(case=case, kind=kind, due_at=due_at, source=followup, agency=agency)


def followup_contact_record(
    followup: FollowUp,
    entry: Entry,
    kind: str,
    *,
    actor: User,
    membership: Membership,
    contacted_on: datetime.date,
    field: str,
    text: str,
) -> FollowUp:
    """Record a follow-up contact once: the day and what it found (`text`, kept in `field`), which completes
    its deadline of `kind`, with its timeline entry and audit event."""
    case: Case = followup.case  # type: ignore[attr-defined]
    require_write(membership, case, Tier.NARRATIVE)
    contacted_on = clean_past_day(contacted_on, "contacted_on")
    text = clean_text(text, field)
    with transaction.atomic():
        locked = type(followup)._default_manager.select_for_update().get(pk=followup.pk)
        if locked.contacted_on is not None:  # type: ignore[attr-defined]
            raise ValidationError(_("This follow-up contact has already been recorded."))
        locked.contacted_on = contacted_on  # type: ignore[attr-defined]
        setattr(locked, field, text)
        locked.recorded_by, locked.agency_id = actor, membership.agency_id  # type: ignore[attr-defined]
        locked.save(update_fields=["contacted_on", field, "recorded_by", "agency"])
        complete_deadlines(locked, kind)
        record_entry(entry, locked, actor=actor, membership=membership, case=case)
    return locked
