"""`palermo exchange_export {htcds,ctdc} --membership ID [--output FILE]`: an export in a standard format.

`htcds` is row-level personal data (the cases the member may read at T2): only to a file created readable by
its owner alone, never to the terminal, and sealed (AES-256-GCM under the installation's key ring; the import
opens it). `ctdc` is the k-anonymised CTDC dataset. Both are audited.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

from django.core.management.base import CommandError, CommandParser

from palermo.accounts.models import Membership
from palermo.exchange.commands import BAD_INPUT, ExchangeCommand
from palermo.exchange.ctdc import ctdc_export
from palermo.exchange.services import htcds_export, htcds_seal


class Command(ExchangeCommand):
    help = "Export in HTCDS 2.0 (row level) or the CTDC's k-anonymised variables."

    def add_arguments(self, parser: CommandParser) -> None:
        super().add_arguments(parser)
        parser.add_argument("format", choices=("htcds", "ctdc"))
        parser.add_argument("--output", type=Path, help="file to write (required for htcds)")

    def act(self, membership: Membership, options: dict[str, Any]) -> None:
        output: Path | None = options["output"]
        if options["format"] == "htcds":
            if output is None:
                raise CommandError("A row-level export goes to a file (--output).", returncode=BAD_INPUT)
            data = htcds_seal(htcds_export(actor=membership.user, membership=membership))
        else:
            data = ctdc_export(actor=membership.user, membership=membership).encode("utf-8")
        if output is None:
            sys.stdout.buffer.write(data)
            return
        descriptor = os.open(output, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(data)
