"""`palermo statistics_eurostat YEAR --membership ID [--snapshot DATE]`: Eurostat's annual trafficking
tables for YEAR as CSV on standard output, from a recorded, disclosure-controlled release (the rapporteur's).
"""

from __future__ import annotations

import datetime
import sys
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from palermo.accounts.models import Membership
from palermo.statistics.eurostat import as_csv, eurostat_release, eurostat_rows
from palermo.statistics.web import STATISTICS_ROLES


class Command(BaseCommand):
    help = "Eurostat's THB data collection tables for one year (registered victims), disclosure-controlled."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("year", type=int)
        parser.add_argument("--membership", type=int, required=True, help="the rapporteur's membership id")
        parser.add_argument("--snapshot", type=datetime.date.fromisoformat, help="default: today")

    def handle(self, *args: Any, **options: Any) -> None:
        membership = (
            Membership.objects.select_related("user").filter(pk=options["membership"], is_active=True).first()
        )
        if membership is None or membership.role not in STATISTICS_ROLES:
            raise CommandError("Only the rapporteur publishes statistics.", returncode=2)
        snapshot = options["snapshot"] or timezone.localdate()
        try:
            release = eurostat_release(
                actor=membership.user, membership=membership, year=options["year"], snapshot=snapshot
            )
        except PermissionDenied:
            raise CommandError("This role may not publish.", returncode=2) from None
        sys.stdout.write(as_csv(eurostat_rows(release.cells, options["year"])))
