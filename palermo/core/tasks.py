"""Tasks a worker was killed in the middle of (kill -9, a power cut, the out-of-memory killer) go back to the
queue (docs/decisions/0054-faults-worker-recovery-and-audits.md).

django-tasks' database worker marks a task RUNNING when it claims it and SUCCESSFUL or FAILED when it ends;
a worker that dies in between leaves it RUNNING for ever, and nothing in django-tasks picks it up again. Our
`palermo db_worker` names each worker `host:pid:random` and, as it starts, puts back to READY:

- a task claimed by a worker on this machine whose process no longer exists (the usual case: systemd
  restarts the killed worker at once), and
- a task claimed on any machine longer than `PALERMO_TASK_LEASE_MINUTES` ago (default 60; a worker on a
  machine that did not come back), which is why no task may run that long.

A retried task runs again from its start, so every task is written to be run twice without doing its work
twice: each one commits its effect together with the mark that it is done (a deadline's `reminded_on`, a
notice's `emailed`) and checks that mark first. This module is the only code that writes django-tasks'
table; it reads and sets the fields of django-tasks-db's `DBTaskResult` that its own worker sets.
"""

from __future__ import annotations

import datetime
import logging
import os
import socket

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.crypto import get_random_string

logger = logging.getLogger(__name__)

DEFAULT_LEASE_MINUTES = 60


def this_host() -> str:
    return socket.gethostname()[:40]


def new_worker_id() -> str:
    """`host:pid:random` (at most 64 characters, django-tasks' limit), so a restarted worker can tell a dead
    worker of its own machine from a live one."""
    return f"{this_host()}:{os.getpid()}:{get_random_string(8)}"


def _dead_here(worker_id: str, host: str) -> bool:
    """Whether `worker_id` names a worker process of this machine that no longer exists."""
    parts = worker_id.rsplit(":", 2)
    if len(parts) != 3 or parts[0] != host or not parts[1].isdigit():
        return False
    pid = int(parts[1])
    if pid == os.getpid():
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except PermissionError:  # a live process of another user
        return False
    return False


def lease() -> datetime.timedelta:
    return datetime.timedelta(
        minutes=int(getattr(settings, "PALERMO_TASK_LEASE_MINUTES", DEFAULT_LEASE_MINUTES))
    )


def requeue_abandoned(*, now: datetime.datetime | None = None) -> int:
    """Put back to READY the running tasks whose worker died (see above); returns how many."""
    from django_tasks_db.models import DBTaskResult  # an installed app's model: imported once apps are ready

    now = now or timezone.now()
    host, expired = this_host(), now - lease()
    with transaction.atomic():
        running = DBTaskResult.objects.running().select_for_update()
        abandoned = [
            result.pk
            for result in running.only("pk", "worker_ids", "started_at")
            if (result.started_at is not None and result.started_at < expired)
            or (result.worker_ids and _dead_here(result.worker_ids[-1], host))
        ]
        if abandoned:
            DBTaskResult.objects.filter(pk__in=abandoned, status="RUNNING").update(
                status="READY", started_at=None
            )
    if abandoned:
        logger.warning(
            "task worker: %s task(s) left running by a stopped worker queued again", len(abandoned)
        )
    return len(abandoned)
