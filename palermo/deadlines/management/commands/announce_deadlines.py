"""`palermo announce_deadlines [--enqueue]`: send today's deadline reminders now, or queue them for a worker.

Run now, it announces what has not been announced today (a second run the same day sends nothing) and prints
counts only. With --enqueue the database worker (`palermo db_worker`) runs it, and books the next daily run.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from palermo.deadlines.reminders import announce_due_deadlines
from palermo.deadlines.tasks import announce_deadlines


class Command(BaseCommand):
    help = "Email the responsible people a digest of overdue and soon-due deadlines (once a day each)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--enqueue", action="store_true", help="queue the run for the task worker")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["enqueue"]:
            result = announce_deadlines.enqueue()
            self.stdout.write(f"Queued the deadline reminder (task {result.id}).")
            return
        announced = announce_due_deadlines()
        self.stdout.write(
            f"Announced {announced.deadlines} deadlines in {announced.emails} emails; "
            f"{announced.unannounced} had nobody to tell."
        )
