"""The daily run through django-tasks' database backend: each day booked once, run by the worker, and each run
booking the next day's before it announces, so a failing announcement never ends the chain; the clock is
moved to the next morning to see it happen again."""

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
from palermo.deadlines import tasks
from palermo.deadlines.models import ReminderRun
from palermo.deadlines.selectors import Day, midnight
from palermo.deadlines.tasks import announce_deadlines, book_run, next_run_after, schedule_daily_reminders
from tests.cases.casework import make_case
from tests.deadlines.clockwork import due
from tests.worker import queued, run_worker

MONDAY_MORNING = "2027-03-08 07:30:00"
ONE_DAY = datetime.timedelta(days=1)


def at_hour(day: datetime.date, hour: int) -> datetime.datetime:
    return midnight(day) + datetime.timedelta(hours=hour)


def runs(status: str) -> list:
    return queued(announce_deadlines, status)


def booked_days() -> list[datetime.date]:
    return list(ReminderRun.objects.values_list("day", flat=True))


@pytest.fixture
def overdue_for_a_manager(make_member):
    """Called on the frozen day: a case manager with an address and a deadline of theirs due the day before;
    returns the manager and the case."""

    def make():
        manager = make_member(Role.CASE_MANAGER)
        manager.email = f"{manager.username}@example.org"
        manager.save(update_fields=["email"])
        case = make_case(manager.membership.agency)
        due(case, Day.of(), -1, user=manager)
        return manager, case

    return make


@pytest.mark.django_db
@pytest.mark.parametrize(("now", "expected_offset"), [("2027-03-08 05:59:00", 0), ("2027-03-08 06:00:00", 1)])
def test_the_next_run_is_the_next_reminder_hour(settings, now, expected_offset):
    settings.PALERMO_DEADLINE_REMINDER_HOUR = 6
    with freeze_time(now):
        today = timezone.localdate()
        assert next_run_after() == at_hour(today + datetime.timedelta(days=expected_offset), 6)


@pytest.mark.django_db
def test_booking_is_idempotent_never_two_runs_for_a_day():
    with freeze_time(MONDAY_MORNING):
        today = timezone.localdate()
        tomorrow = today + ONE_DAY
        first = schedule_daily_reminders()
        again = schedule_daily_reminders()
        out = StringIO()
        call_command("schedule_deadline_reminders", stdout=out)
        assert first is not None and again is not None and first.pk == again.pk
        assert booked_days() == [tomorrow]
        (pending,) = runs("READY")
        assert pending.run_after == at_hour(tomorrow, 6) and str(pending.id) == first.task_id
        assert pending.args_kwargs == {"args": [], "kwargs": {"day": tomorrow.isoformat()}}  # a date only
        assert "booked for" in out.getvalue()

        # --now adds today's run, at once, since today had none; asked again it adds nothing.
        call_command("schedule_deadline_reminders", "--now", stdout=out)
        call_command("schedule_deadline_reminders", "--now", stdout=out)
        schedule_daily_reminders()
        assert booked_days() == [today, tomorrow]
        assert sorted(run.run_after for run in runs("READY")) == [timezone.now(), at_hour(tomorrow, 6)]
        assert book_run(tomorrow).pk == first.pk and len(runs("READY")) == 2


@pytest.mark.django_db(transaction=True)
def test_the_worker_runs_the_reminder_and_it_books_the_next_morning(overdue_for_a_manager):
    with freeze_time(MONDAY_MORNING) as clock:
        manager, case = overdue_for_a_manager()
        today = timezone.localdate()
        call_command("schedule_deadline_reminders", "--now", stdout=StringIO())

        run_worker()

        (done,) = runs("SUCCESSFUL")
        assert done.return_value == {"deadlines": 1, "emails": 1, "unannounced": 0}
        (message,) = mail.outbox
        assert message.to == [manager.email] and case.reference in message.body
        (booked,) = runs("READY")
        assert booked.run_after == at_hour(today + ONE_DAY, 6)

        run_worker()  # nothing is due before tomorrow's run
        assert len(runs("SUCCESSFUL")) == 1 and len(mail.outbox) == 1

        clock.move_to(at_hour(today + ONE_DAY, 6) + datetime.timedelta(minutes=1))
        run_worker()

        assert len(runs("SUCCESSFUL")) == 2
        assert len(mail.outbox) == 2 and "2 days overdue" in mail.outbox[1].body
        (booked,) = runs("READY")
        assert booked.run_after == at_hour(today + 2 * ONE_DAY, 6)
        assert booked_days() == [today, today + ONE_DAY, today + 2 * ONE_DAY]


@pytest.mark.django_db(transaction=True)
def test_a_failing_announcement_still_leaves_tomorrow_booked(overdue_for_a_manager, monkeypatch):
    with freeze_time(MONDAY_MORNING) as clock:
        overdue_for_a_manager()
        today = timezone.localdate()
        book_run(today, run_after=timezone.now())  # today's run alone: tomorrow is the run's to book

        def mail_server_down():
            raise ConnectionRefusedError("the mail server is down")

        monkeypatch.setattr(tasks, "announce_due_deadlines", mail_server_down)
        run_worker()

        assert len(runs("FAILED")) == 1 and not mail.outbox
        (booked,) = runs("READY")
        assert booked.run_after == at_hour(today + ONE_DAY, 6)
        assert booked_days() == [today, today + ONE_DAY]

        monkeypatch.undo()  # the server is back the next morning, and the chain goes on
        clock.move_to(at_hour(today + ONE_DAY, 6) + datetime.timedelta(minutes=1))
        run_worker()
        assert len(runs("SUCCESSFUL")) == 1 and len(mail.outbox) == 1
        assert booked_days() == [today, today + ONE_DAY, today + 2 * ONE_DAY]


@pytest.mark.django_db(transaction=True)
def test_two_runs_on_one_day_book_tomorrow_once():
    with freeze_time(MONDAY_MORNING):
        today = timezone.localdate()
        book_run(today, run_after=timezone.now())
        call_command("announce_deadlines", "--enqueue", stdout=StringIO())  # an extra run by hand

        run_worker()

        assert len(runs("SUCCESSFUL")) == 2
        (booked,) = runs("READY")
        assert booked.run_after == at_hour(today + ONE_DAY, 6)
        assert booked_days() == [today, today + ONE_DAY]


@pytest.mark.django_db(transaction=True)
def test_a_late_run_books_the_next_reminder_day_not_the_days_it_missed():
    with freeze_time(MONDAY_MORNING) as clock:
        monday = timezone.localdate()
        book_run(monday)
        clock.move_to(at_hour(monday + 3 * ONE_DAY, 10))  # the worker was stopped until Thursday morning

        run_worker()

        (booked,) = runs("READY")
        assert booked.run_after == at_hour(monday + 4 * ONE_DAY, 6)
        assert booked_days() == [monday, monday + 4 * ONE_DAY]


@pytest.mark.django_db
def test_a_booking_whose_task_was_lost_gets_it_again():
    with freeze_time(MONDAY_MORNING):
        tomorrow = timezone.localdate() + ONE_DAY
        schedule_daily_reminders()
        DBTaskResult.objects.all().delete()  # the queue emptied by hand

        booked = schedule_daily_reminders()

        (pending,) = runs("READY")
        assert booked is not None and booked.task_id == str(pending.id)
        assert pending.run_after == at_hour(tomorrow, 6) and booked_days() == [tomorrow]


@pytest.mark.django_db
def test_the_command_can_queue_a_run_for_the_worker():
    out = StringIO()
    call_command("announce_deadlines", "--enqueue", stdout=out)
    (queued_run,) = runs("READY")
    assert str(queued_run.id) in out.getvalue()


@pytest.mark.django_db
def test_a_run_forgets_the_bookings_of_more_than_a_quarter_ago():
    today = timezone.localdate()
    for age in (200, 93, 92, 1):
        ReminderRun.objects.create(day=today - datetime.timedelta(days=age), run_after=timezone.now())
    announce_deadlines.call(day=today.isoformat())
    ages = sorted((today - run.day).days for run in ReminderRun.objects.all() if run.day <= today)
    assert ages == [1, 92]
