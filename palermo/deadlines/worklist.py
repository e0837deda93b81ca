"""What the deadlines lend the lists of cases (palermo.cases.worklist): where a deadline's work is done, and
each listed case's next deadline."""

from __future__ import annotations

from collections.abc import Sequence

from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from palermo.accounts.models import Membership
from palermo.cases.worklist import NextDeadline
from palermo.deadlines.kinds import kind_for
from palermo.deadlines.models import Deadline
from palermo.deadlines.selectors import Day, next_open_deadlines


def place_to_act(deadline: Deadline) -> str:
    """Where the work is done: the kind's page for the case, or the case page when the kind names none."""
    url_name = kind_for(deadline.kind).url_name
    reference = deadline.case.reference
    if url_name:
        try:
            return reverse(url_name, args=[reference])
        except NoReverseMatch:
            pass
    return reverse("cases:detail", args=[reference])


def next_deadlines(membership: Membership, case_ids: Sequence[int]) -> dict[int, NextDeadline]:
    """For a list of cases: the soonest open deadline of each case that has one, in words and days."""
    today = Day.of().today
    return {
        case_id: NextDeadline(
            kind=deadline.kind,
            label=kind_for(deadline.kind).label,
            due=timezone.localdate(deadline.due_at),
            days_left=(timezone.localdate(deadline.due_at) - today).days,
            url=place_to_act(deadline),
        )
        for case_id, deadline in next_open_deadlines(membership, case_ids).items()
    }
