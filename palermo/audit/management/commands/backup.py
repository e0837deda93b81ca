"""`palermo backup FILE`: one encrypted archive of this instance (palermo.core.backup, decision 0044).

The backup is itself on the audit record, written before the database is copied, so the archive's chain ends
with it and a restore can prove the chain intact. Prints counts and key ids, never values.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from palermo.audit.services import audit_record
from palermo.audit.verify import verify_chain
from palermo.core import backup


class Command(BaseCommand):
    help = "Write one encrypted archive of the database, the documents and the rulebooks (never the keys)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("archive", type=Path, help="where to write the archive")

    def handle(self, *args: Any, **options: Any) -> None:
        target: Path = options["archive"]
        try:
            ring = backup.backup_key_ring()
        except backup.BackupError as error:
            raise CommandError(str(error)) from None
        event = audit_record(
            actor=None, action="backup.create", tier=0, reason=f"archive under backup key {ring.current_id}"
        )
        verdict = verify_chain()
        try:
            manifest = backup.write_archive(
                target, extra={"audit_head": f"{event.sequence}:{event.hash}", "audit_intact": verdict.intact}
            )
        except backup.BackupError as error:
            raise CommandError(str(error)) from None
        rows = sum(manifest.counts.values())
        self.stdout.write(
            f"Backup written: {target} ({manifest.vendor}, {rows} rows in {len(manifest.counts)} tables, "
            f"{manifest.documents} documents, audit head {event.sequence}; key {ring.current_id})"
        )
