"""`palermo import_instrument FILE --name NAME --version VERSION --source TEXT [--exploitation-type TYPE]`

Imports an indicator instrument from a CSV file with the columns `dimension,indicator,strength_adult,
strength_child`. All or nothing: a bad file is refused with every bad line number and its reason, and nothing
is imported (exit status 2). A changed list is imported as a new version; an existing one is never replaced.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from palermo.identification.instrument_files import InstrumentFileError, read_text
from palermo.identification.models import ExploitationType
from palermo.identification.services.instruments import instrument_import

BAD_INPUT = 2


class Command(BaseCommand):
    help = "Import an indicator instrument (CSV) as a new name and version; a bad file imports nothing."

    def add_arguments(self, parser: CommandParser) -> None:
        # Django adds --version (its own version) to every command; here it names the instrument's version.
        parser.conflict_handler = parser._optionals.conflict_handler = "resolve"
        parser.add_argument("file", type=Path, help="CSV: dimension,indicator,strength_adult,strength_child")
        parser.add_argument("--name", required=True, help="instrument name, e.g. national-2025-sexual")
        parser.add_argument("--version", required=True, help="instrument version")
        parser.add_argument("--source", required=True, help="where the list comes from (publication, body)")
        parser.add_argument(
            "--exploitation-type",
            choices=ExploitationType.values,
            default=ExploitationType.GENERAL.value,
            help="the form of exploitation the list is for (default: general)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            instrument = instrument_import(
                actor=None,
                name=options["name"],
                version=options["version"],
                source=options["source"],
                exploitation_type=options["exploitation_type"],
                text=read_text(options["file"]),
            )
        except InstrumentFileError as error:
            for problem in error.errors:
                self.stderr.write(f"{options['file']}: {problem}")
            raise CommandError(
                f"refused: {len(error.errors)} problem(s); nothing was imported", returncode=BAD_INPUT
            ) from None
        count = sum(len(d.indicators.all()) for d in instrument.dimensions.all())
        self.stdout.write(f"imported {instrument} with {count} indicators")
