"""Putting an instrument's rows into the database, for the import service and for the shipped instruments.

`store_instrument` takes the model classes as arguments so the data migration can pass its historical models;
it writes reference data only. The shipped instruments are listed in `data/instruments.toml`.
"""

from __future__ import annotations

import tomllib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from palermo.identification.instrument_files import Row, parse_instrument_csv, read_text
from palermo.identification.rules import DIMENSION_GROUPS, DIMENSION_ORDER

DATA_DIR = Path(__file__).resolve().parent / "data"
MANIFEST = DATA_DIR / "instruments.toml"


@dataclass(frozen=True)
class ShippedInstrument:
    name: str
    version: str
    source: str
    exploitation_type: str
    file: Path

    def rows(self) -> list[Row]:
        return parse_instrument_csv(read_text(self.file))


def shipped_instruments() -> list[ShippedInstrument]:
    with MANIFEST.open("rb") as handle:
        entries = tomllib.load(handle)["instrument"]
    return [
        ShippedInstrument(
            name=entry["name"],
            version=entry["version"],
            source=entry["source"],
            exploitation_type=entry["exploitation_type"],
            file=DATA_DIR / entry["file"],
        )
        for entry in entries
    ]


def store_instrument(
    instrument_model: Any,
    dimension_model: Any,
    indicator_model: Any,
    *,
    name: str,
    version: str,
    source: str,
    exploitation_type: str,
    rows: Sequence[Row],
) -> Any:
    """Create the instrument, its dimensions (in the order of the 2009 lists) and indicators (file order)."""
    instrument = instrument_model.objects.create(
        name=name, version=version, source=source, exploitation_type=exploitation_type
    )
    keys = sorted({row.dimension for row in rows}, key=DIMENSION_ORDER.__getitem__)
    dimensions = {
        key: dimension_model(
            instrument=instrument, key=key, group=str(DIMENSION_GROUPS[key]), position=number
        )
        for number, key in enumerate(keys)
    }
    dimension_model.objects.bulk_create(dimensions.values())
    indicator_model.objects.bulk_create(
        indicator_model(
            dimension=dimensions[row.dimension],
            text=row.indicator.text,
            adult_weight=str(row.indicator.adult_weight),
            child_weight=str(row.indicator.child_weight) if row.indicator.child_weight else None,
            position=number,
        )
        for number, row in enumerate(rows)
    )
    return instrument


def load_shipped(instrument_model: Any, dimension_model: Any, indicator_model: Any) -> list[Any]:
    """Load every shipped instrument not yet in the database; idempotent. Returns those it created."""
    created = []
    for shipped in shipped_instruments():
        if instrument_model.objects.filter(name=shipped.name, version=shipped.version).exists():
            continue
        created.append(
            store_instrument(
                instrument_model,
                dimension_model,
                indicator_model,
                name=shipped.name,
                version=shipped.version,
                source=shipped.source,
                exploitation_type=shipped.exploitation_type,
                rows=shipped.rows(),
            )
        )
    return created
