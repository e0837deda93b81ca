"""`palermo origin_export [--format csv|json] [--country ALB] [--topic stigma] [--output FILE]`

Writes the country-of-origin information entries (all, or those of a country and topic) as CSV or JSON, to a
file or to standard output, in the columns the import reads (docs/origin.md).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from palermo.origin.models import CountryEntry, Topic
from palermo.origin.services.transfer import FORMATS, export_csv, export_json
from palermo.origin.web import entry_filters


class Command(BaseCommand):
    help = "Export country information entries as CSV or JSON."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--format", choices=FORMATS, default="csv")
        parser.add_argument("--country", default="", help="ISO 3166-1 alpha-3")
        parser.add_argument("--topic", choices=Topic.values, default="")
        parser.add_argument("--output", type=Path, help="default: standard output")

    def handle(self, *args: Any, **options: Any) -> None:
        filters = {
            key: value
            for key, value in entry_filters(options).items()
            if key in ("country", "topic") and value
        }
        found = (
            CountryEntry.objects.filter(**filters).select_related("source_file").defer("source_file__content")
        )
        text = (export_json if options["format"] == "json" else export_csv)(
            found.order_by("country", "topic", "pk")
        )
        if options["output"]:
            options["output"].write_text(text, encoding="utf-8")
            self.stdout.write(f"exported {found.count()} entries to {options['output']}")
        else:
            self.stdout.write(text, ending="")
