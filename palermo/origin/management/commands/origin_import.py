"""`palermo origin_import FILE [--format csv|json] [--sample]`

Imports country-of-origin information entries from a CSV or JSON file (docs/origin.md), as the system. All or
nothing: a bad file is refused with every bad row's line, column and reason, and nothing is imported (exit
status 2).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from palermo.origin.services.transfer import FORMATS, ImportRefused, entries_import
from palermo.origin.web import import_format

BAD_INPUT = 2


class Command(BaseCommand):
    help = "Import country information entries (CSV or JSON); a file with any bad row imports nothing."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help="CSV with a header line, or JSON (docs/origin.md)")
        parser.add_argument("--format", choices=FORMATS, help="default: by the file name's extension")
        parser.add_argument("--sample", action="store_true", help="mark the entries as a synthetic sample")

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        try:
            content = path.read_bytes()
        except OSError as error:
            raise CommandError(f"cannot read {path}: {error.strerror}", returncode=BAD_INPUT) from None
        form = options["format"] or import_format(path.name)
        try:
            created = entries_import(
                actor=None, membership=None, content=content, form=form, is_sample=options["sample"]
            )
        except ImportRefused as refused:
            for problem in refused.problems:
                where = f"line {problem.line}" if problem.line else "file"
                self.stderr.write(f"{path}: {where}: {problem.field}: {problem.reason}")
            raise CommandError(
                f"refused: {len(refused.problems)} problem(s); nothing was imported", returncode=BAD_INPUT
            ) from None
        self.stdout.write(f"imported {len(created)} entries")
