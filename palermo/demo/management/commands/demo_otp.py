from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from palermo.demo.accounts import DEMO_USERS


class Command(BaseCommand):
    help = "Print the current two-factor code of a demo user (demo accounts only)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("username")

    def handle(self, *args: Any, username: str, **options: Any) -> None:
        if username not in {name for name, _, _ in DEMO_USERS}:
            raise CommandError("Only the demo accounts have codes printable here.")
        device = TOTPDevice.objects.filter(user__username=username, confirmed=True).first()
        if device is None:
            raise CommandError("No demo authenticator for that user; run `make run` or `palermo seed_demo`.")
        code = totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits, drift=device.drift)
        self.stdout.write(f"{code:0{device.digits}d}")
