"""`palermo schedule_deadline_reminders [--now]`: make sure the daily deadline reminder is booked, once.

Idempotent: run it at every start (as `make run` does); it never books a second pending run. --now makes the
pending run due at once (moving an existing one earlier), so a freshly started worker announces today's
deadlines without waiting for the reminder hour.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from palermo.deadlines.tasks import schedule_daily_reminders


class Command(BaseCommand):
    help = "Book the daily deadline reminder with the task worker, unless a run is already pending."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--now", action="store_true", help="make the pending run due now")

    def handle(self, *args: Any, **options: Any) -> None:
        pending = schedule_daily_reminders(run_at=timezone.now() if options["now"] else None)
        if pending is None:
            self.stdout.write("The task backend cannot defer tasks; run `palermo announce_deadlines` daily.")
            return
        when = timezone.localtime(pending.run_after).isoformat(timespec="minutes")
        self.stdout.write(f"Deadline reminder booked for {when}.")
