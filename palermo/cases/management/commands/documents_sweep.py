"""`palermo documents_sweep [--grace-minutes N]`

Removes from the document store what an upload killed half-way left behind (kill -9, a power cut): a
temporary file, or a stored file whose database row never committed. Such a file is ciphertext bound to a row
that does not exist, so it opens for no one; the sweep keeps the store's files and rows one to one. Files
younger than the grace (60 minutes by default) are left alone: their upload may still be in progress.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from palermo.cases import docstore
from palermo.cases.models import CaseDocument


def _with_rows(names: list[str]) -> set[str]:
    return set(CaseDocument.objects.filter(storage_name__in=names).values_list("storage_name", flat=True))


class Command(BaseCommand):
    help = "Remove document files left by uploads that never committed (older than the grace)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--grace-minutes", type=float, default=60.0, help="leave younger files (60)")

    def handle(self, *args: Any, **options: Any) -> None:
        removed = docstore.sweep(known=_with_rows, older_than=options["grace_minutes"] * 60)
        self.stdout.write(f"removed {removed} file(s) without a document row")
