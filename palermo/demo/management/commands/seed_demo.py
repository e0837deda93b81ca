from __future__ import annotations

from contextlib import nullcontext
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser

from palermo.accounts.models import User
from palermo.demo import areas, history
from palermo.demo.accounts import DEMO_USERS, demo_password, load_demo_accounts
from palermo.demo.cases import history_start


class Command(BaseCommand):
    help = "Load synthetic demo agencies and users (idempotent) and print one demo login per role."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--cases",
            type=int,
            default=None,
            help="synthetic demo cases to refer (default: PALERMO_DEMO_CASES, 200); existing ones are kept",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        password = demo_password()
        # On the first load the accounts are made as the history begins, so that the audit chain reads in
        # time order from its first event; a later load changes them today.
        first_load = not User.objects.filter(username__in=[name for name, _, _ in DEMO_USERS]).exists()
        with history.at(history_start()) if first_load else nullcontext():
            logins = load_demo_accounts(password)
        count = settings.DEMO_CASES if options["cases"] is None else options["cases"]
        if count > 0:  # no demo cases asked for: no area's records either (no history, no near-duplicates)
            self.load_history(count)
        # Last, so the logins are on screen when the server starts.
        self.stdout.write(f"\nDemo logins (synthetic accounts; password for all: {password})\n")
        for login in logins:
            self.stdout.write(f"  {login.username:<22} {login.role.label:<36} {login.agency}")
        self.stdout.write(
            "\nSecond factor: `.venv/bin/palermo demo_otp USERNAME` prints the current six-digit code.\n"
        )

    def load_history(self, count: int) -> None:
        """Each case with its areas' work at its own moments (palermo.demo.history), then the areas that work
        on the whole demo. The same words on every run (nothing about what this run added), so a second run
        reads the same."""
        result = areas.load_demo_history(count)
        if result is not None:
            total = result.referred + result.already_there
            self.stdout.write(
                f"Demo cases: {total} synthetic people referred by demo.responder and demo.casemanager, "
                "on the demo agencies' case teams.\n"
            )
        for label, _load in areas.AREA_LOADERS:
            self.stdout.write(f"Demo {label}: loaded.\n")
