"""The task queue in tests: the real database worker run once over what is due, what it holds, and the
immediate backend for tests that only need a task's effect."""

from __future__ import annotations

from django.core.management import call_command
from django_tasks.base import Task
from django_tasks_db.models import DBTaskResult

IMMEDIATE_TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


def run_worker() -> None:
    """Run `palermo db_worker` until nothing is due (in this process, so mail lands in mail.outbox)."""
    call_command("db_worker", "--batch", "--no-startup-delay", "--interval", "0", verbosity=0)


def queued(task: Task, status: str | None = None) -> list[DBTaskResult]:
    """The database queue's results of `task` (of one status if given), oldest first."""
    results = DBTaskResult.objects.filter(task_path=task.module_path).order_by("enqueued_at")
    return list(results.filter(status=status) if status else results)
