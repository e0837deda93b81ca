"""`palermo exchange_import FILE --membership ID --identification-agency ID`: open cases from an HTCDS 2.0
CSV file, all or nothing, with a progress bar (docs/exchange.md).

Every bad row is printed with its line and reason and nothing is written (exit status 2). The file is written
in one transaction: a process stopped part-way leaves nothing.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import CommandError, CommandParser
from tqdm import tqdm

from palermo.accounts.models import Agency, Membership
from palermo.core.crypto import DecryptionError
from palermo.exchange.commands import BAD_INPUT, ExchangeCommand
from palermo.exchange.services import htcds_import, htcds_unseal


class Command(ExchangeCommand):
    help = "Import an HTCDS 2.0 CSV file as referrals (all or nothing)."

    def add_arguments(self, parser: CommandParser) -> None:
        super().add_arguments(parser)
        parser.add_argument("file", type=Path)
        parser.add_argument("--identification-agency", type=int, required=True, help="the agency referred to")

    def act(self, membership: Membership, options: dict[str, Any]) -> None:
        agency = Agency.objects.filter(pk=options["identification_agency"]).first()
        if agency is None:
            raise CommandError("No such agency.", returncode=BAD_INPUT)
        try:
            text = htcds_unseal(options["file"].read_bytes())
        except (DecryptionError, UnicodeDecodeError):
            raise CommandError(
                "The file is neither UTF-8 CSV nor an export of this installation.", returncode=BAD_INPUT
            ) from None
        with tqdm(total=None, unit="row", file=self.stderr._out, desc="import") as bar:

            def progress(done: int, total: int) -> None:
                bar.total = total
                bar.update(done - bar.n)

            report = htcds_import(
                actor=membership.user,
                membership=membership,
                identification_agency=agency,
                text=text,
                progress=progress,
            )
        for line, reason in report.bad:
            self.stderr.write(f"line {line}: {reason}")
        if not report.ok:
            raise CommandError(f"{len(report.bad)} bad row(s): nothing was imported.", returncode=BAD_INPUT)
        self.stdout.write(f"{report.written} case(s) opened.")
