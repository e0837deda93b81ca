"""The daily retention run, booked like the deadline reminder (palermo.deadlines.tasks): each run books the
next day's first (a `RetentionRun` row, unique per day, in the transaction that enqueues its task), then
anonymises what expired and keeps its report on the row. The task's one argument is a date. It also runs the
sweep of transnational package deliveries lost mid-attempt (palermo.returns.services.delivery), a daily
backstop to the sweep each attempt books for itself."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone
from django_tasks import task

from palermo.deadlines.tasks import ONE_DAY, next_reminder_day, reminder_time
from palermo.privacy.models import RetentionRun
from palermo.privacy.services import retention_run
from palermo.returns.services.delivery import sweep_stale_deliveries_now


def can_book() -> bool:
    return anonymise_expired.get_backend().supports_defer


def book_run(day: datetime.date) -> RetentionRun:
    """The run of `day`, booked once whoever asks (a concurrent booking loses on the unique day)."""
    with transaction.atomic():
        run, created = RetentionRun.objects.select_for_update().get_or_create(
            day=day, defaults={"run_after": reminder_time(day)}
        )
        if created:
            result = anonymise_expired.using(run_after=run.run_after).enqueue(day=day.isoformat())
            run.task_id = str(result.id)
            run.save(update_fields=["task_id"])
    return run


@task()
def anonymise_expired(day: str = "") -> dict[str, int | str]:
    """Book the next run, then anonymise what expired by `day` (ISO date; default today). Counts only."""
    run_day = datetime.date.fromisoformat(day) if day else timezone.localdate()
    if can_book():
        book_run(max(run_day + ONE_DAY, next_reminder_day()))
    report = run_and_report(run_day)
    return {**report, "deliveries_requeued": sweep_stale_deliveries_now()}


def run_and_report(day: datetime.date) -> dict[str, int | str]:
    """Anonymise what expired by `day` and keep the report on that day's run: the row booked for it, or one
    made now for a run nobody booked (a run by hand on a backend that cannot defer)."""
    report = retention_run(today=day).as_dict()
    RetentionRun.objects.update_or_create(
        day=day,
        defaults={"report": report},
        create_defaults={"run_after": reminder_time(day), "report": report},
    )
    return report


def schedule_retention() -> RetentionRun | None:
    """Make sure the next retention day is booked (None on a backend that cannot defer). Idempotent."""
    return book_run(next_reminder_day()) if can_book() else None
