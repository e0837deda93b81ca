"""`palermo db_worker`: django-tasks-db's worker, named `host:pid:random`, which first puts back on the queue
what a killed worker left running (palermo.core.tasks)."""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django_tasks_db.management.commands import db_worker

from palermo.core.tasks import new_worker_id, requeue_abandoned


class Command(db_worker.Command):
    help = "Run the background task worker (queues again the tasks a killed worker left running first)"

    def add_arguments(self, parser: ArgumentParser) -> None:
        super().add_arguments(parser)
        parser.set_defaults(worker_id=new_worker_id())

    def handle(self, *args: Any, **options: Any) -> None:
        requeue_abandoned()
        super().handle(*args, **options)
