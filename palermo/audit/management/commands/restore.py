"""`palermo restore FILE`: rebuild this instance from an archive written by `palermo backup`.

Stop the web and worker processes first: the database is replaced whole. The running instance must hold
every key the archive's data was written under (checked by fingerprint before anything changes). After the
restore the command compares row counts with the archive's manifest, walks the audit chain, and records the
restore on it; it exits non-zero if any of that fails.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from palermo.audit.services import audit_record
from palermo.audit.verify import verify_chain
from palermo.core import backup


class Command(BaseCommand):
    help = "Replace this instance's database and documents with those of a backup archive, then verify them."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("archive", type=Path, help="the archive to restore")
        parser.add_argument(
            "--replace-documents", action="store_true", help="empty a non-empty document store first"
        )
        parser.add_argument(
            "--rulebooks-to",
            type=Path,
            default=None,
            help="also write the archive's rulebooks into this folder",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            restored = backup.restore_archive(
                options["archive"],
                replace_documents=options["replace_documents"],
                rulebooks_to=options["rulebooks_to"],
            )
        except backup.BackupError as error:
            raise CommandError(str(error)) from None
        manifest = restored.manifest
        self.stdout.write(
            f"Restored the archive of {manifest.created} ({manifest.vendor}): "
            f"{sum(restored.counts.values())} rows, {restored.documents} documents."
        )
        if restored.rulebooks_differing:
            self.stdout.write(
                "Rulebooks that differ from those this instance reads (see --rulebooks-to): "
                + ", ".join(restored.rulebooks_differing)
            )
        differences = restored.count_differences
        if differences:
            listed = ", ".join(f"{label} {was}->{now}" for label, (was, now) in sorted(differences.items()))
            raise CommandError(f"Row counts differ from the archive's: {listed}")
        verdict = verify_chain()
        if not verdict.intact:
            raise CommandError(f"Audit chain broken after the restore at {verdict.broken}.")
        audit_record(actor=None, action="backup.restore", tier=0, reason=f"archive of {manifest.created}")
        self.stdout.write(f"Row counts match the archive; audit chain intact: {verdict.count} events.")
