from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from palermo.accounts.demo import demo_password, load_demo_accounts


class Command(BaseCommand):
    help = "Load synthetic demo agencies and users (idempotent) and print one demo login per role."

    def handle(self, *args: Any, **options: Any) -> None:
        password = demo_password()
        logins = load_demo_accounts(password)
        self.stdout.write(f"\nDemo logins (synthetic accounts; password for all: {password})\n")
        for login in logins:
            self.stdout.write(f"  {login.username:<22} {login.role.label:<36} {login.agency}")
        self.stdout.write(
            "\nSecond factor: `.venv/bin/palermo demo_otp USERNAME` prints the current six-digit code.\n"
        )
