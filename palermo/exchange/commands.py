"""What the exchange commands share: the acting membership, named by its id; a refusal exits with 2."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError, CommandParser

from palermo.accounts.models import Membership

BAD_INPUT = 2


def membership_of(pk: int) -> Membership:
    membership = Membership.objects.select_related("user", "agency").filter(pk=pk, is_active=True).first()
    if membership is None or not membership.user.is_active:
        raise CommandError("No such active membership.", returncode=BAD_INPUT)
    return membership


class ExchangeCommand(BaseCommand):
    """A command acting as one membership (`--membership ID`); a refused role exits with status 2."""

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--membership", type=int, required=True, help="the acting member's membership id")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            self.act(membership_of(options["membership"]), options)
        except PermissionDenied:
            raise CommandError("This role may not do this.", returncode=BAD_INPUT) from None

    def act(self, membership: Membership, options: dict[str, Any]) -> None:
        raise NotImplementedError
