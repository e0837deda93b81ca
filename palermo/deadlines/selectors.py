"""Reads of deadlines: whose they are, how urgent, and never on a case the reader may not see.

Every list starts from the cases visible to the acting membership (`cases_visible_to`, one subquery), then
narrows to a scope:

- *mine*: deadlines the user is responsible for, those of cases the user is named on the team of (but for a
  decision only another role takes: an identification decision is not a named case manager's), and those of
  the user's agency that their role decides (an identification decision, for the agency's identification
  authority): what the daily reminder tells them of;
- *agency*: deadlines the acting agency is responsible for, and those of cases it leads or is on the team of.

A deadline of a kind that is one agency's duty (`agency_duty`: an entitlement of the reflection period, given
by the rulebook to a type of agency) is in the lists of its responsible agency only: the lead agency and the
rest of the team do not see the duty of another as their own.

A closed case has no work to do: its deadlines leave every list (open and done), the case search's deadline
filter and the reminder, yet are neither deleted nor marked done, so re-opening the case brings them back as
they stood. "Closed" is the case's phase (set and cleared only by the lifecycle, palermo.cases.lifecycle),
read on the case row the deadline's `case_id` points to: the deadline indexes still lead every plan.

Urgency is by calendar day in the deployment's time zone (a deadline due at 09:00 today is "due today" all
day, and overdue from tomorrow), so the screen, the API and the daily reminder agree on the words.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Exists, Min, OuterRef, Q, QuerySet, Subquery, TextChoices
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from palermo.access.models import CaseTeamMember
from palermo.access.selectors import cases_visible_to
from palermo.accounts.models import Membership
from palermo.cases.duties import deadline_kinds_hidden_from
from palermo.cases.models import Phase
from palermo.core.narrowing import narrowed
from palermo.deadlines.kinds import agency_duty_kinds, kinds_decided_by, kinds_decided_by_another_role
from palermo.deadlines.models import Deadline

# "Due soon" on the screen and in the API: today and the next seven days.
SOON_DAYS = 7


class Scope(TextChoices):
    MINE = "mine", _("Mine")
    AGENCY = "agency", _("My agency")


class Status(TextChoices):
    OVERDUE = "overdue", _("Overdue")
    DUE_SOON = "due_soon", _("Due within 7 days")
    OPEN = "open", pgettext_lazy("deadline status", "Open")
    DONE = "done", _("Done")


class Bucket(TextChoices):
    """The groups of the "due and overdue" screen, in the order shown, with their headings."""

    OVERDUE = "overdue", _("Overdue")
    TODAY = "today", _("Due today")
    WEEK = "week", _("Due within 7 days")
    LATER = "later", _("Later")
    DONE = "done", _("Done")


@dataclass(frozen=True)
class Day:
    """Today in the deployment's time zone, and the instants that bound its buckets."""

    today: datetime.date
    start: datetime.datetime  # 00:00 today
    tomorrow: datetime.datetime  # 00:00 tomorrow
    week_end: datetime.datetime  # 00:00 on the day after today + SOON_DAYS

    @classmethod
    def of(cls, now: datetime.datetime | None = None) -> Day:
        today = timezone.localdate(now or timezone.now())
        return cls(
            today=today,
            start=midnight(today),
            tomorrow=midnight(today + datetime.timedelta(days=1)),
            week_end=midnight(today + datetime.timedelta(days=SOON_DAYS + 1)),
        )

    def bucket(self, deadline: Deadline) -> Bucket:
        if deadline.done_at is not None:
            return Bucket.DONE
        if deadline.due_at < self.start:
            return Bucket.OVERDUE
        if deadline.due_at < self.tomorrow:
            return Bucket.TODAY
        if deadline.due_at < self.week_end:
            return Bucket.WEEK
        return Bucket.LATER

    def days_over(self, deadline: Deadline) -> int:
        """Whole days past the due date (0 when not overdue or done)."""
        if deadline.done_at is not None:
            return 0
        return max(0, (self.today - timezone.localdate(deadline.due_at)).days)


def midnight(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def on_open_cases(deadlines: QuerySet[Deadline]) -> QuerySet[Deadline]:
    """Leave out the deadlines of closed cases (kept as they are: re-opening the case brings them back)."""
    return deadlines.exclude(case__phase=Phase.CLOSED)


def open_deadlines() -> QuerySet[Deadline]:
    """Deadlines still to meet: not done, on a case not closed. The case search and the reminder use these."""
    return on_open_cases(Deadline.objects.filter(done_at__isnull=True))


def case_ids_with_open_deadline(due: str, kind: str) -> QuerySet[Any]:
    """For the case search: the case ids of open deadlines (a closed case's are paused, so it never matches)
    of `kind` ("" for any) that are overdue or due soon (`due`, a Status value; "" for any)."""
    deadlines = open_deadlines()
    if kind:
        deadlines = deadlines.filter(kind=kind)
    day = Day.of()
    if due == Status.OVERDUE:
        deadlines = deadlines.filter(due_at__lt=day.start)
    elif due == Status.DUE_SOON:
        deadlines = deadlines.filter(due_at__gte=day.start, due_at__lt=day.week_end)
    return deadlines.values("case_id")


def deadlines_visible_to(membership: Membership | None) -> QuerySet[Deadline]:
    """Every deadline on an open case this membership may see (none for a membership that cannot act)."""
    visible = cases_visible_to(membership).values("pk")
    hidden = sorted(deadline_kinds_hidden_from(membership))  # kinds only a duty reads (palermo.cases.duties)
    return on_open_cases(Deadline.objects.filter(case_id__in=visible).exclude(kind__in=hidden))


def _named_on_team(membership: Membership) -> Exists:
    return Exists(
        CaseTeamMember.objects.filter(
            case_id=OuterRef("case_id"),
            user_id=membership.user_id,
            agency_id=membership.agency_id,
            removed_at__isnull=True,
        )
    )


def _agency_on_team(membership: Membership) -> Exists:
    return Exists(
        CaseTeamMember.objects.filter(
            case_id=OuterRef("case_id"), agency_id=membership.agency_id, removed_at__isnull=True
        )
    )


def _not_another_agency_s_duty(membership: Membership) -> Q:
    """What a reader's lists of cases leave out: an agency-duty kind that is another agency's to meet."""
    return ~Q(kind__in=agency_duty_kinds()) | Q(responsible_agency_id=membership.agency_id)


def another_agency_s(membership: Membership) -> Q:
    """A deadline another agency is responsible for, not the reader by name: on a case the reader is named
    on, theirs to know of, not to do."""
    return (
        Q(responsible_agency__isnull=False)
        & ~Q(responsible_agency_id=membership.agency_id)
        & ~Q(responsible_user_id=membership.user_id)
    )


def is_another_agency_s(deadline: Deadline, membership: Membership) -> bool:
    """`another_agency_s` of one deadline read already."""
    return (
        deadline.responsible_agency_id is not None
        and deadline.responsible_agency_id != membership.agency_id
        and deadline.responsible_user_id != membership.user_id
    )


def in_scope(membership: Membership | None, scope: str = Scope.MINE) -> QuerySet[Deadline]:
    """The deadlines of one scope (see the module docstring), visible cases only, soonest first."""
    deadlines = deadlines_visible_to(membership)
    if membership is None:
        return deadlines.none()
    ours = Q(responsible_agency_id=membership.agency_id)
    # Another agency's duty is not on this one's lists, whatever its standing on the case.
    shared = _not_another_agency_s_duty(membership)
    condition: Any
    if scope == Scope.AGENCY:
        condition = ours | (
            shared & (Q(case__lead_agency_id=membership.agency_id) | _agency_on_team(membership))
        )
    else:
        condition = (
            Q(responsible_user_id=membership.user_id)
            | (
                shared
                & ~Q(kind__in=kinds_decided_by_another_role(membership.role))
                & _named_on_team(membership)
            )
            | (ours & Q(kind__in=kinds_decided_by(membership.role)))
        )
    return (
        deadlines.filter(condition)
        .select_related("case", "responsible_agency", "responsible_user")
        .order_by("due_at", "pk")
    )


def with_status(deadlines: QuerySet[Deadline], status: str, day: Day) -> QuerySet[Deadline]:
    """Narrow to a status; an empty status keeps every deadline, open and done."""
    if status == Status.DONE:
        return deadlines.filter(done_at__isnull=False)
    if not status:
        return deadlines
    open_ones = deadlines.filter(done_at__isnull=True)
    if status == Status.OVERDUE:
        return open_ones.filter(due_at__lt=day.start)
    if status == Status.DUE_SOON:
        return open_ones.filter(due_at__gte=day.start, due_at__lt=day.week_end)
    return open_ones


def due_deadlines(
    membership: Membership | None,
    *,
    scope: str = Scope.MINE,
    status: str = "",
    kind: str = "",
    reference: str = "",
    case_ids: QuerySet[Any] | None = None,
    day: Day | None = None,
) -> QuerySet[Deadline]:
    """The one list behind the screen and the API: scope, then the optional filters (`case_ids`: the cases
    the worklist's facets allow, `palermo.cases.filters.CaseFacetFilter.case_ids`)."""
    in_status = with_status(in_scope(membership, scope), status, day or Day.of())
    deadlines = narrowed(in_status, kind=kind, case__reference=reference)
    if case_ids is not None:
        deadlines = deadlines.filter(case_id__in=case_ids)
    return deadlines


# --- counts: how much there is, by urgency, by kind and by case (one aggregate query each) ---------------


def _urgency_counts(day: Day) -> dict[str, Count]:
    open_ones = Q(done_at__isnull=True)
    return {
        "overdue": Count("pk", filter=open_ones & Q(due_at__lt=day.start)),
        "today": Count("pk", filter=open_ones & Q(due_at__gte=day.start, due_at__lt=day.tomorrow)),
        "week": Count("pk", filter=open_ones & Q(due_at__gte=day.tomorrow, due_at__lt=day.week_end)),
        "total": Count("pk"),
    }


def urgency_counts(deadlines: QuerySet[Deadline], day: Day) -> dict[str, int]:
    """How many of these deadlines are overdue, due today, due later this week, and in all: one query."""
    return deadlines.order_by().aggregate(**_urgency_counts(day))


def counts_by_kind(deadlines: QuerySet[Deadline], day: Day) -> QuerySet[Any]:
    """One row per kind of deadline (`kind`, the counts of `urgency_counts`, `first_due`), the most overdue
    kind first: one query, as many rows as kinds (a handful), so never paged."""
    return (
        deadlines.order_by()
        .values("kind")
        .annotate(**_urgency_counts(day), first_due=Min("due_at"))
        .order_by("first_due", "kind")
    )


def counts_by_case(deadlines: QuerySet[Deadline], day: Day) -> QuerySet[Any]:
    """One row per case (`case_id`, `case__reference`, the counts of `urgency_counts`, `first_due`), the
    case with the soonest deadline first: a list of cases to work through, paged like any other."""
    return (
        deadlines.order_by()
        .values("case_id", "case__reference")
        .annotate(**_urgency_counts(day), first_due=Min("due_at"))
        .order_by("first_due", "case_id")
    )


def next_open_deadlines(membership: Membership | None, case_ids: Sequence[int]) -> dict[int, Deadline]:
    """Each of these cases' soonest open deadline that this membership may see, by case id (a case with none
    is absent), leaving out another agency's duty as the lists do: one query for the whole list."""
    if membership is None or not case_ids:
        return {}
    deadlines = (
        deadlines_visible_to(membership)
        .filter(_not_another_agency_s_duty(membership), case_id__in=list(case_ids), done_at__isnull=True)
        .select_related("case")
        .only("id", "kind", "due_at", "case_id", "case__reference")
        .order_by("case_id", "due_at", "pk")
    )
    soonest: dict[int, Deadline] = {}
    for deadline in deadlines:
        soonest.setdefault(deadline.case_id, deadline)
    return soonest


def soonest_due_of_outer_case(membership: Membership) -> Subquery:
    """For ordering a list of cases the membership sees: the due time of the outer case's soonest open
    deadline that `next_open_deadlines` would show it (no hidden kind, no other agency's duty, none on a
    closed case), as a correlated subquery on the (case, done) index; null where nothing is open."""
    hidden = sorted(deadline_kinds_hidden_from(membership))
    soonest = (
        open_deadlines()  # a closed case's are kept but wait for nothing: it sorts with "nothing open"
        .filter(_not_another_agency_s_duty(membership), case_id=OuterRef("pk"))
        .exclude(kind__in=hidden)
        .order_by("due_at")
        .values("due_at")[:1]
    )
    return Subquery(soonest)


def open_deadline_of(membership: Membership | None, pk: int) -> Deadline:
    """One open deadline of the acting agency's (responsible, lead agency or on the team) on an open case it
    may see; 404 otherwise, missing and forbidden alike."""
    found = in_scope(membership, Scope.AGENCY).filter(pk=pk, done_at__isnull=True).first()
    if found is None:
        raise Http404
    return found
