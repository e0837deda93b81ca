"""`palermo load_instruments`: load the instruments shipped in palermo/identification/data that are missing.

Idempotent: the data migration already loads them on a fresh database; run this after an upgrade that ships a
new instrument version, or on a database where they were removed.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from palermo.identification.services.instruments import instruments_load_shipped


class Command(BaseCommand):
    help = "Load the shipped indicator instruments that are not yet in the database."

    def handle(self, *args: Any, **options: Any) -> None:
        created = instruments_load_shipped(actor=None)
        for instrument in created:
            self.stdout.write(f"loaded {instrument}")
        if not created:
            self.stdout.write("every shipped instrument is already loaded")
