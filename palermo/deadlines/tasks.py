"""The daily run of the deadline reminder, as a django-tasks task that books its own next run.

`schedule_daily_reminders()` (the `palermo schedule_deadline_reminders` command, called by `make run`) makes
sure exactly one run is pending; each run announces the day's deadlines and books the next one for tomorrow
at `PALERMO_DEADLINE_REMINDER_HOUR` (local time, default 6). The database worker (`palermo db_worker`)
executes them. Task arguments hold nothing (no personal data in task arguments): a run reads the deadlines
when it starts, so a case closed after the run was booked is not announced.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.utils import timezone
from django_tasks import task, task_backends
from django_tasks_db.backend import DatabaseBackend
from django_tasks_db.models import DBTaskResult

from palermo.deadlines.reminders import announce_due_deadlines
from palermo.deadlines.selectors import midnight

DEFAULT_REMINDER_HOUR = 6


def reminder_hour() -> int:
    return int(getattr(settings, "PALERMO_DEADLINE_REMINDER_HOUR", DEFAULT_REMINDER_HOUR))


def next_run_after(now: datetime.datetime | None = None) -> datetime.datetime:
    """The next reminder time strictly after `now`: today at the reminder hour, else tomorrow's."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    hour = datetime.timedelta(hours=reminder_hour())
    run = midnight(today) + hour
    return run if run > now else midnight(today + datetime.timedelta(days=1)) + hour


@task()
def announce_deadlines() -> dict[str, int]:
    """Announce today's deadlines, then book tomorrow's run. Returns counts only."""
    announced = announce_due_deadlines()
    schedule_daily_reminders()
    return announced.as_dict()


def pending_runs() -> list[DBTaskResult]:
    """The reminder runs waiting in the database queue (none on a backend without one)."""
    backend = announce_deadlines.get_backend()
    if not isinstance(backend, DatabaseBackend):
        return []
    return list(
        DBTaskResult.objects.filter(
            task_path=announce_deadlines.module_path, backend_name=backend.alias, status="READY"
        ).order_by("run_after")
    )


def schedule_daily_reminders(*, run_at: datetime.datetime | None = None) -> DBTaskResult | None:
    """Make sure one run is pending, at `run_at` (default: the next reminder time). Idempotent: an existing
    pending run is kept (moved earlier when `run_at` is sooner), never doubled. On a backend that cannot
    defer (the immediate one in tests) nothing is booked: each run would otherwise start the next at once."""
    if not task_backends[announce_deadlines.backend].supports_defer:
        return None
    wanted = run_at or next_run_after()
    pending = pending_runs()
    if pending:
        first = pending[0]
        if wanted < first.run_after:
            DBTaskResult.objects.filter(pk=first.pk, status="READY").update(run_after=wanted)
            first.run_after = wanted
        return first
    result = announce_deadlines.using(run_after=wanted).enqueue()
    return DBTaskResult.objects.get(pk=result.id)
