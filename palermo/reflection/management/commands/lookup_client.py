"""`palermo lookup_client add NAME --agency AGENCY` / `revoke NAME` / `list`: the client systems that may ask
the non-removal question through the API. A new client's token is printed once and never stored."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from palermo.accounts.models import Agency
from palermo.reflection.models import LookupClient
from palermo.reflection.services.clients import lookup_client_add, lookup_client_revoke


def agency_named(value: str) -> Agency:
    """An agency by id or by exact name."""
    agency = Agency.objects.filter(pk=int(value)).first() if value.isdigit() else None
    agency = agency or Agency.objects.filter(name=value).first()
    if agency is None:
        raise CommandError(f"no agency with id or name {value!r}")
    return agency


class Command(BaseCommand):
    help = "Add, revoke or list the client systems allowed to use the non-removal look-up API."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        add = actions.add_parser("add", help="Register a client system and print its token once.")
        add.add_argument("name")
        add.add_argument("--agency", required=True, help="The agency answerable for it (id or exact name).")
        revoke = actions.add_parser("revoke", help="Refuse a client system's token from now on.")
        revoke.add_argument("name")
        actions.add_parser("list", help="Client systems, their agency and state.")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            getattr(self, f"_{options['action']}")(options)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None

    def _add(self, options: dict[str, Any]) -> None:
        client, token = lookup_client_add(name=options["name"], agency=agency_named(options["agency"]))
        self.stdout.write(f"Client system {client.name!r} added for {client.agency.name}.")
        self.stdout.write("Its token (shown once; send it as 'Authorization: Bearer <token>'):")
        self.stdout.write(token)

    def _revoke(self, options: dict[str, Any]) -> None:
        client = lookup_client_revoke(name=options["name"])
        self.stdout.write(f"Client system {client.name!r} revoked.")

    def _list(self, options: dict[str, Any]) -> None:
        for client in LookupClient.objects.select_related("agency"):
            state = "active" if client.is_active else f"revoked {client.revoked_at:%Y-%m-%d}"
            self.stdout.write(f"{client.name}\t{client.agency.name}\t{state}")
