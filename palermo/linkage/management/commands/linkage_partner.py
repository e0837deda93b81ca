"""`palermo linkage_partner add NAME COUNTRY CONTACT [--url URL] [--secret SECRET]`: register a partner NRM
and encode every person under the shared secret (printed once when made here, to hand to the partner)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from palermo.linkage.services.partners import partner_register


class Command(BaseCommand):
    help = "Register a partner NRM for matching across borders (docs/decisions/0043)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["add"])
        parser.add_argument("name")
        parser.add_argument("country")
        parser.add_argument("contact")
        parser.add_argument("--url", default="")
        parser.add_argument("--secret", default="", help="agreed out of band; made here when left out")

    def handle(self, *args: Any, **options: Any) -> None:
        partner = partner_register(
            name=options["name"],
            country=options["country"],
            contact=options["contact"],
            url=options["url"],
            secret=options["secret"],
        )
        self.stdout.write(f"partner {partner.pk} registered")
        if not options["secret"]:
            self.stdout.write(
                f"shared secret (give it to the partner, it is not shown again): {partner.secret}"
            )
