"""What a list of cases says to do next: each listed case's soonest open deadline (My cases, the case search),
and My cases in the order of those deadlines when the reader asks for it.

Deadlines sit above cases (docs/decisions/0011): palermo.deadlines provides the look-up from its
AppConfig.ready(), with the search by deadline (`palermo.cases.filters.DeadlineSearch`). Without it a list
shows no deadline. The look-up costs one query for the whole page, whatever its size.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from django.core.paginator import Page
from django.db.models import F, QuerySet, TextChoices
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from palermo.accounts.models import Membership
from palermo.cases.filters import provided_deadline_search
from palermo.cases.models import Case


@dataclass(frozen=True)
class NextDeadline:
    """The soonest open deadline of a case the reader may see: what is due, by which day, where it is done."""

    kind: str  # the kind's key, as the deadlines list and API name it
    label: str | Promise
    due: datetime.date
    days_left: int  # negative: overdue by that many days; 0: due today
    url: str

    @property
    def overdue_days(self) -> int:
        return max(0, -self.days_left)


# Given the acting membership and the ids of the listed cases, the next deadline of each case that has one.
NextDeadlines = Callable[[Membership, Sequence[int]], dict[int, NextDeadline]]


def attach_next_deadlines(cases: list[Any], membership: Membership) -> list[Any]:
    """These cases, each with its `next_deadline` (None where nothing is open): one query for them all."""
    provided = provided_deadline_search()
    found = provided.next_deadlines(membership, [case.pk for case in cases]) if provided and cases else {}
    for case in cases:
        case.next_deadline = found.get(case.pk)
    return cases


def with_next_deadlines(page: Page, membership: Membership) -> Page:
    """The page with each case's `next_deadline` for the list to show; its cases are read once here, so the
    template iterates the same objects."""
    page.object_list = attach_next_deadlines(list(page.object_list), membership)
    return page


class CaseOrder(TextChoices):
    NEWEST = "newest", _("Newest first")
    NEXT_DEADLINE = "next_deadline", _("Next deadline first")


# How a list of cases in each order says so (its table's caption).
CAPTIONS = {
    CaseOrder.NEWEST: _("Cases, newest first"),
    CaseOrder.NEXT_DEADLINE: _("Cases, the soonest next deadline first"),
}


def chosen_order(asked: str | None) -> CaseOrder:
    """The order a page's link or form asked for; newest first when it asked for none (or for none we know:
    a page is never refused for its order)."""
    return CaseOrder(asked) if asked in CaseOrder.values else CaseOrder.NEWEST


def in_order(cases: QuerySet[Case], membership: Membership, order: str) -> QuerySet[Case]:
    """The list in the reader's order: as it comes (newest first), or the soonest next deadline first, the
    overdue before the rest and the cases with nothing open last (newest first among them). Still one query:
    the deadline is a subquery of the list's own."""
    provided = provided_deadline_search()
    if order != CaseOrder.NEXT_DEADLINE or provided is None:
        return cases
    return cases.annotate(next_due=provided.soonest_due(membership)).order_by(
        F("next_due").asc(nulls_last=True), "-opened_at", "-pk"
    )
