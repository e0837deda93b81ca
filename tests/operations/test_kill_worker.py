"""kill -9 of the task worker in the middle of a task (issue 21, faults): the task stays RUNNING until the
next `palermo db_worker` starts, which sees that the worker holding it is dead and runs it again; the daily
deadline reminder run twice still sends one digest and books the next day once (palermo.core.tasks)."""

from __future__ import annotations

import datetime
import os
import subprocess
import sys

import pytest
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from palermo.accounts.roles import Role
from palermo.core.tasks import new_worker_id, requeue_abandoned
from palermo.deadlines.models import ReminderRun
from palermo.deadlines.selectors import Day
from palermo.deadlines.tasks import announce_deadlines
from tests.cases.casework import make_case
from tests.deadlines.clockwork import due
from tests.operations.test_kill_mid_write import STALL, child_environment, killed_half_way
from tests.worker import queued

WORKER = "from django.core.management import call_command\ncall_command('db_worker', '--no-startup-delay')\n"


def digests_for(mailbox, reference: str) -> int:
    return sum(path.read_text().count(reference) for path in mailbox.iterdir())


@pytest.mark.workers
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(
    ("module", "step"),
    [
        ("palermo.deadlines.tasks", "prune_runs"),  # the next day booked, nothing announced yet
        ("palermo.deadlines.reminders", "get_connection"),  # deadlines marked, not committed, nothing sent
        ("palermo.deadlines.tasks", "announce_due_deadlines"),  # sent and committed; the task not marked done
    ],
)
def test_a_reminder_killed_half_way_is_run_again_and_sends_one_digest(make_member, tmp_path, module, step):
    manager = make_member(Role.CASE_MANAGER)
    manager.email = f"{manager.username}@example.org"
    manager.save(update_fields=["email"])
    case = make_case(manager.membership.agency)
    due(case, Day.of(), -1, user=manager)
    today = timezone.localdate()
    announce_deadlines.enqueue(day=today.isoformat())
    mailbox = tmp_path / "mail"
    mail = {
        "PALERMO_EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
        "PALERMO_EMAIL_FILE_PATH": str(mailbox),
    }

    killed_half_way(STALL.format(module=module, step=step, after=1) + WORKER, **mail)
    (left,) = queued(announce_deadlines, "RUNNING")
    assert left.args_kwargs["kwargs"] == {"day": today.isoformat()}

    restarted = subprocess.run(
        [
            sys.executable,
            "-m",
            "palermo.cli",
            "db_worker",
            "--batch",
            "--no-startup-delay",
            "--interval",
            "0",
        ],
        env=child_environment(**mail),
        capture_output=True,
        timeout=180,
    )
    assert restarted.returncode == 0
    left.refresh_from_db()
    assert left.status == "SUCCESSFUL" and len(left.worker_ids) == 2
    assert digests_for(mailbox, case.reference) == 1
    tomorrow = today + datetime.timedelta(days=1)
    assert list(ReminderRun.objects.values_list("day", flat=True)) == [tomorrow]
    assert len(queued(announce_deadlines, "READY")) == 1


@pytest.mark.django_db
def test_a_task_of_a_live_worker_is_left_running_and_an_expired_one_queued_again(settings):
    settings.PALERMO_TASK_LEASE_MINUTES = 60
    live = announce_deadlines.enqueue(day="2027-01-01")
    gone_elsewhere = announce_deadlines.enqueue(day="2027-01-02")
    now = timezone.now()
    DBTaskResult.objects.filter(pk=live.id).update(
        status="RUNNING", started_at=now, worker_ids=[new_worker_id()]
    )
    DBTaskResult.objects.filter(pk=gone_elsewhere.id).update(
        status="RUNNING", started_at=now - datetime.timedelta(minutes=61), worker_ids=["other-host:1:abc"]
    )
    assert requeue_abandoned() == 1
    assert DBTaskResult.objects.get(pk=live.id).status == "RUNNING"
    assert DBTaskResult.objects.get(pk=gone_elsewhere.id).status == "READY"


@pytest.mark.django_db
def test_a_worker_names_itself_by_machine_and_process():
    host, pid, _ = new_worker_id().rsplit(":", 2)
    assert int(pid) == os.getpid() and host and len(new_worker_id()) <= 64
