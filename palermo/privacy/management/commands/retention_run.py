"""`palermo retention_run [--dry-run] [--schedule]`: anonymise the closed cases whose retention period ended
(what the daily task does), or only count them; --schedule books the daily task instead. Prints counts."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from palermo.privacy.services import retention_run
from palermo.privacy.tasks import schedule_retention


class Command(BaseCommand):
    help = "Anonymise closed cases whose retention period ended (legal holds respected); prints a report."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--dry-run", action="store_true", help="count what would be anonymised, change nothing"
        )
        parser.add_argument("--schedule", action="store_true", help="book the daily retention task and stop")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["schedule"]:
            run = schedule_retention()
            self.stdout.write(
                f"Retention run booked for {run.run_after.isoformat(timespec='minutes')}."
                if run
                else "The task backend cannot defer tasks; run `palermo retention_run` daily."
            )
            return
        report = retention_run(dry_run=options["dry_run"])
        self.stdout.write(" ".join(f"{key}={value}" for key, value in report.as_dict().items()))
