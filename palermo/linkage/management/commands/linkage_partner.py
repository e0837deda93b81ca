"""`palermo linkage_partner add NAME COUNTRY CONTACT [--url URL] [--secret SECRET]`: register a partner NRM
and encode every person under the shared secret (printed once when made here, to hand to the partner);
`rotate ID [--secret SECRET]`: a new shared secret; `deactivate ID`. A system administrator does the same on
the page of partner NRMs (docs/decisions/0053)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from palermo.linkage.models import PartnerNRM
from palermo.linkage.services.partners import partner_deactivate, partner_register, partner_rotate


class Command(BaseCommand):
    help = "Register a partner NRM, change its shared secret or deactivate it (docs/decisions/0043, 0053)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["add", "rotate", "deactivate"])
        parser.add_argument("arguments", nargs="+", help="add: NAME COUNTRY CONTACT; rotate, deactivate: ID")
        parser.add_argument("--url", default="")
        parser.add_argument("--secret", default="", help="agreed out of band; made here when left out")

    def handle(self, *args: Any, **options: Any) -> None:
        arguments = options["arguments"]
        if options["action"] == "add":
            if len(arguments) != 3:
                raise CommandError("add needs NAME COUNTRY CONTACT")
            name, country, contact = arguments
            partner = partner_register(
                name=name, country=country, contact=contact, url=options["url"], secret=options["secret"]
            )
            self.stdout.write(f"partner {partner.pk} registered")
        else:
            identifier = arguments[0]
            found = PartnerNRM.objects.filter(pk=int(identifier)).first() if identifier.isdigit() else None
            if found is None:
                raise CommandError("no such partner")
            if options["action"] == "deactivate":
                partner_deactivate(actor=None, membership=None, partner=found, expected_version=found.version)
                self.stdout.write(f"partner {found.pk} deactivated")
                return
            partner = partner_rotate(
                actor=None,
                membership=None,
                partner=found,
                expected_version=found.version,
                secret=options["secret"],
                encode_now=True,
            )
            self.stdout.write(f"partner {partner.pk}: new shared secret")
        if not options["secret"]:
            self.stdout.write(
                f"shared secret (give it to the partner, it is not shown again): {partner.secret}"
            )
