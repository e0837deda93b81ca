"""`palermo audit_verify`: prove the audit chain intact, or name its first broken link (exit status 1)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from palermo.audit.verify import DEFAULT_BATCH, Anchor, verify_chain


class Command(BaseCommand):
    help = (
        "Verify the audit log's keyed hash chain (HMAC under AUDIT_KEYS); exits non-zero and names the first "
        "broken link."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--batch-size", type=int, default=DEFAULT_BATCH, help="events read per query")
        parser.add_argument(
            "--anchor",
            action="append",
            default=[],
            metavar="SEQUENCE:HASH",
            help="a chain head recorded outside the database earlier (repeatable); it must still be there",
        )
        parser.add_argument(
            "--unkeyed-until",
            type=int,
            default=None,
            metavar="SEQUENCE",
            help="the last event written before the chain was keyed (default: PALERMO_AUDIT_UNKEYED_UNTIL)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            anchors = tuple(Anchor.parse(text) for text in options["anchor"])
        except ValueError as error:
            raise CommandError(str(error)) from error
        verdict = verify_chain(
            batch_size=max(1, options["batch_size"]), anchors=anchors, unkeyed_until=options["unkeyed_until"]
        )
        if verdict.broken is not None:
            raise CommandError(
                f"Audit chain broken at {verdict.broken}; {verdict.count} events before it are intact.",
                returncode=1,
            )
        self.stdout.write(
            f"Audit chain intact: {verdict.count} events."
            + (f" Head: {verdict.last_sequence}:{verdict.last_hash}" if verdict.count else "")
        )
