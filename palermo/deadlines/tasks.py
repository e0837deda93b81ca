"""The daily run of the deadline reminder, as a django-tasks task that books its own next run first.

Each run belongs to a day. When it starts, it books the next day's run, and only then announces its own
day's deadlines: an announcement that fails (a mail server down, a bug) leaves tomorrow's run booked, so one
bad day never ends the chain. A booking is a `ReminderRun` row, unique per day, written in the same
transaction as the task it enqueues; a second attempt to book a day finds the row and books nothing, so no
day is ever booked twice, and nothing here reads the task backend's own tables.

`schedule_daily_reminders()` (the `palermo schedule_deadline_reminders` command, called by `make run`) books
the next reminder day if no run has booked it (or books its task again if the queue lost it), which mends a
chain broken some other way. Runs happen at `PALERMO_DEADLINE_REMINDER_HOUR` (local time, default 6); the
database worker (`palermo db_worker`) executes them. The one task argument is the run's day (a date, no
personal data): a run reads the deadlines when it starts, so a case closed after the run was booked is not
announced.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django_tasks import task
from django_tasks.exceptions import TaskResultDoesNotExist

from palermo.deadlines.models import ReminderRun
from palermo.deadlines.reminders import announce_due_deadlines
from palermo.deadlines.selectors import midnight

DEFAULT_REMINDER_HOUR = 6
ONE_DAY = datetime.timedelta(days=1)


def reminder_hour() -> int:
    return int(getattr(settings, "PALERMO_DEADLINE_REMINDER_HOUR", DEFAULT_REMINDER_HOUR))


def reminder_time(day: datetime.date) -> datetime.datetime:
    """When the reminder of `day` runs: that day at the reminder hour, local time."""
    return midnight(day) + datetime.timedelta(hours=reminder_hour())


def next_run_after(now: datetime.datetime | None = None) -> datetime.datetime:
    """The next reminder time strictly after `now`: today at the reminder hour, else tomorrow's."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    run = reminder_time(today)
    return run if run > now else reminder_time(today + ONE_DAY)


def next_reminder_day(now: datetime.datetime | None = None) -> datetime.date:
    return timezone.localdate(next_run_after(now))


def can_book() -> bool:
    """Whether the task backend can run a task later. The immediate one (tests) cannot: each run would start
    the next at once, so on it nothing is booked and each run announces alone."""
    return announce_deadlines.get_backend().supports_defer


def book_run(day: datetime.date, *, run_after: datetime.datetime | None = None) -> ReminderRun:
    """The run of `day`, booked with the worker unless a run of that day is booked already (then that one,
    unchanged). The row and the task commit together; a concurrent booking of the same day loses on the
    unique day and gets the winner's row. A booking still to come whose task the backend no longer knows (a
    queue emptied by hand) gets its task again."""
    with transaction.atomic():
        run, created = ReminderRun.objects.select_for_update().get_or_create(
            day=day, defaults={"run_after": run_after or reminder_time(day)}
        )
        if created or (run.run_after > timezone.now() and not task_known(run.task_id)):
            result = announce_deadlines.using(run_after=run.run_after).enqueue(day=day.isoformat())
            run.task_id = str(result.id)
            run.save(update_fields=["task_id"])
    return run


def task_known(task_id: str) -> bool:
    """Whether the task backend still has this result (asked through django-tasks' public API)."""
    try:
        announce_deadlines.get_result(task_id)
    except TaskResultDoesNotExist:
        return False
    return True


@task()
def announce_deadlines(day: str = "") -> dict[str, int]:
    """Book the run after `day` (ISO date; default today), then announce today's deadlines. Counts only."""
    run_day = datetime.date.fromisoformat(day) if day else timezone.localdate()
    if can_book():
        # The day after this run's, or the next reminder day when this run comes late (a stopped worker).
        book_run(max(run_day + ONE_DAY, next_reminder_day()))
    prune_runs(before=run_day - KEEP_RUNS)
    return announce_due_deadlines().as_dict()


# Bookings are bookkeeping, not the record (the announcements are in the worker's log and the notices sent):
# a quarter's worth is enough to follow up a missed run; older rows would only grow the table, a row a day.
KEEP_RUNS = datetime.timedelta(days=92)


def prune_runs(*, before: datetime.date) -> int:
    """Forget the bookings of days before `before`; returns how many."""
    return ReminderRun.objects.filter(day__lt=before).delete()[0]


def schedule_daily_reminders(*, now: bool = False) -> ReminderRun | None:
    """Make sure the next reminder day is booked; with `now`, also today's run, at once, unless today has
    one already. Returns the run that comes first (None on a backend that cannot defer). Idempotent."""
    if not can_book():
        return None
    moment = timezone.now()
    today = book_run(timezone.localdate(moment), run_after=moment) if now else None
    upcoming = book_run(next_reminder_day(moment))
    # Today's run comes first if it is still to come (not the one that ran this morning).
    return today if today is not None and moment <= today.run_after < upcoming.run_after else upcoming
