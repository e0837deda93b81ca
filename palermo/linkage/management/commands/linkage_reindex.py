"""`palermo linkage_reindex`: build the tolerant search's keys of existing persons (after installing the
linkage area, or after the blind-index key changed). Names are decrypted in memory only, a batch at a time."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from palermo.linkage.services.keys import person_keys_rebuild


class Command(BaseCommand):
    help = (
        "Build the keyed search keys (names, romanisations, typos, sounds, birth dates) of existing persons."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--missing-only", action="store_true", help="only persons without keys yet")

    def handle(self, *args: Any, **options: Any) -> None:
        persons, keys = person_keys_rebuild(missing_only=options["missing_only"])
        self.stdout.write(f"{persons} persons, {keys} keys written")
