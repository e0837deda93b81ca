"""Demo data protection, as years of use leave it:

- the daily retention run, each night of the years in which a closed case's period could end (steps, in the
  history): the cases closed long enough ago are anonymised on their day, and the runs' reports are kept;
- today's run, if its hour has passed, and the next one booked with the worker;
- today, the demo DPO has placed a legal hold on the closed case of theirs whose period ends soonest
  (proceedings pending), and erased, at the person's request, the data of the case of theirs closed most
  recently.

Through the same services and task code as real work. Idempotent: a night that ran is not run again, and
nothing is added today once any hold exists."""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from functools import partial

from django.utils import timezone

from palermo.accounts.models import Membership
from palermo.accounts.roles import Role
from palermo.cases.models import Case
from palermo.deadlines.tasks import reminder_time
from palermo.demo.common import demo_member, done_by
from palermo.demo.history import Step
from palermo.privacy.models import Anonymisation, LegalHold, RetentionRun
from palermo.privacy.periods import CLOSED_STATES, closed_early_enough, retention_ends
from palermo.privacy.selectors import dpo_cases
from palermo.privacy.services import case_erase, legal_hold_place
from palermo.privacy.tasks import run_and_report, schedule_retention

DEMO_DPO = "demo.dpo"
HOLD_REASON = "Criminal proceedings pending: the victim's statements are evidence (synthetic demo)"
DAY = datetime.timedelta(days=1)


def steps(start: datetime.datetime, end: datetime.datetime, years: int, numbers: Iterator[int]) -> list[Step]:
    """The retention run of each day whose run came before `end` (the next is booked with the worker), from
    the first day a case closed at `start` could have reached the end of its period."""
    first = timezone.localdate(start)
    day = first + (first - timezone.localdate(closed_early_enough(first)))  # the shortest period on
    runs = []
    while reminder_time(day) < end:
        runs.append(Step(reminder_time(day), next(numbers), partial(_run, day)))
        day += DAY
    return runs


def _run(day: datetime.date) -> None:
    """That night's run, once: a second load of the demo leaves the report of a night that ran as it was."""
    if not RetentionRun.objects.filter(day=day).exclude(report={}).exists():
        run_and_report(day)


def load_demo(cases: list[Case]) -> None:
    if reminder_time(timezone.localdate()) <= timezone.now():  # today's run (the history ran those before)
        _run(timezone.localdate())
    schedule_retention()
    if LegalHold.objects.exists():
        return
    membership = demo_member(DEMO_DPO, Role.DATA_PROTECTION_OFFICER)
    if membership is None:
        return
    _hold_the_soonest(membership)
    _erase_at_request(membership)


def _hold_the_soonest(membership: Membership) -> None:
    """A hold on the closed case of the officer's whose data the retention run would destroy first."""
    closed = dpo_cases(membership).filter(status__in=CLOSED_STATES, anonymisation__isnull=True)
    ends = {case: retention_ends(case) for case in closed.only("pk", "reference", "status", "closed_at")}
    if ends:
        soonest = min(ends, key=lambda case: (ends[case], case.pk))
        legal_hold_place(**done_by(membership), case=soonest, reason=HOLD_REASON)


def _erase_at_request(membership: Membership) -> None:
    """The person whose case closed most recently asked for their data to be erased."""
    closed = (
        dpo_cases(membership)
        .filter(status__in=CLOSED_STATES, anonymisation__isnull=True, legal_holds__isnull=True)
        .order_by("-closed_at", "-pk")
        .first()
    )
    if closed is not None and not Anonymisation.objects.filter(why=Anonymisation.Why.ERASURE).exists():
        case_erase(**done_by(membership), case=closed, expected_version=closed.version)
