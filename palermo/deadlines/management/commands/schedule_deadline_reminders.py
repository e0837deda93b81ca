"""`palermo schedule_deadline_reminders [--now]`: make sure the daily deadline reminder is booked, once.

Idempotent: run it at every start (as `make run` does); it never books a day twice. --now also books today's
run at once when today has none yet, so a freshly started worker announces today's deadlines without waiting
for the reminder hour (a day that has its run keeps it: each day announces once).
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from palermo.deadlines.tasks import schedule_daily_reminders


class Command(BaseCommand):
    help = "Book the daily deadline reminder with the task worker, unless its day is booked already."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--now", action="store_true", help="run today's reminder at once if it has none")

    def handle(self, *args: Any, **options: Any) -> None:
        pending = schedule_daily_reminders(now=options["now"])
        if pending is None:
            self.stdout.write("The task backend cannot defer tasks; run `palermo announce_deadlines` daily.")
            return
        when = timezone.localtime(pending.run_after).isoformat(timespec="minutes")
        self.stdout.write(f"Deadline reminder booked for {when}.")
