"""The daily run through django-tasks' database backend: booked once, run by the worker, and booking the next
day's run itself; the clock is moved to the next morning to see it happen again."""

from __future__ import annotations

import datetime
from io import StringIO

import psycopg  # noqa: F401  (its C extension must load before freezegun swaps datetime, or it warns)
import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from freezegun import freeze_time

from palermo.accounts.roles import Role
from palermo.deadlines.selectors import Day, midnight
from palermo.deadlines.tasks import announce_deadlines, next_run_after, pending_runs, schedule_daily_reminders
from tests.cases.casework import make_case
from tests.deadlines.clockwork import due

MONDAY_MORNING = "2027-03-08 07:30:00"


def at_hour(day: datetime.date, hour: int) -> datetime.datetime:
    return midnight(day) + datetime.timedelta(hours=hour)


def runs(status: str) -> list[DBTaskResult]:
    return list(DBTaskResult.objects.filter(task_path=announce_deadlines.module_path, status=status))


def run_worker() -> None:
    call_command("db_worker", "--batch", "--no-startup-delay", "--interval", "0", verbosity=0)


@pytest.mark.django_db
@pytest.mark.parametrize(("now", "expected_offset"), [("2027-03-08 05:59:00", 0), ("2027-03-08 06:00:00", 1)])
def test_the_next_run_is_the_next_reminder_hour(settings, now, expected_offset):
    settings.PALERMO_DEADLINE_REMINDER_HOUR = 6
    with freeze_time(now):
        today = timezone.localdate()
        assert next_run_after() == at_hour(today + datetime.timedelta(days=expected_offset), 6)


@pytest.mark.django_db
def test_booking_is_idempotent_never_two_pending():
    with freeze_time(MONDAY_MORNING):
        tomorrow = timezone.localdate() + datetime.timedelta(days=1)
        first = schedule_daily_reminders()
        again = schedule_daily_reminders()
        out = StringIO()
        call_command("schedule_deadline_reminders", stdout=out)
        assert first is not None and again is not None and first.pk == again.pk
        assert [run.run_after for run in pending_runs()] == [at_hour(tomorrow, 6)]
        assert "booked for" in out.getvalue()

        call_command("schedule_deadline_reminders", "--now", stdout=out)  # moved earlier, not doubled
        assert [run.run_after for run in pending_runs()] == [timezone.now()]
        schedule_daily_reminders()  # a later time never postpones the pending run
        assert [run.run_after for run in pending_runs()] == [timezone.now()]


@pytest.mark.django_db(transaction=True)
def test_the_worker_runs_the_reminder_and_it_books_the_next_morning(make_member):
    with freeze_time(MONDAY_MORNING) as clock:
        manager = make_member(Role.CASE_MANAGER)
        manager.email = f"{manager.username}@example.org"
        manager.save(update_fields=["email"])
        day = Day.of()
        case = make_case(manager.membership.agency)
        due(case, day, -1, user=manager)
        call_command("schedule_deadline_reminders", "--now", stdout=StringIO())

        run_worker()

        (done,) = runs("SUCCESSFUL")
        assert done.return_value == {"deadlines": 1, "emails": 1, "unannounced": 0}
        (message,) = mail.outbox
        assert message.to == [manager.email] and case.reference in message.body
        (booked,) = runs("READY")
        assert booked.run_after == at_hour(day.today + datetime.timedelta(days=1), 6)
        assert booked.args_kwargs == {"args": [], "kwargs": {}}  # no personal data in task arguments

        run_worker()  # nothing is due before tomorrow's run
        assert len(runs("SUCCESSFUL")) == 1 and len(mail.outbox) == 1

        clock.move_to(at_hour(day.today + datetime.timedelta(days=1), 6) + datetime.timedelta(minutes=1))
        run_worker()

        assert len(runs("SUCCESSFUL")) == 2
        assert len(mail.outbox) == 2 and "2 days overdue" in mail.outbox[1].body
        (booked,) = runs("READY")
        assert booked.run_after == at_hour(day.today + datetime.timedelta(days=2), 6)


@pytest.mark.django_db
def test_the_command_can_queue_a_run_for_the_worker():
    out = StringIO()
    call_command("announce_deadlines", "--enqueue", stdout=out)
    (queued,) = runs("READY")
    assert str(queued.pk) in out.getvalue()
