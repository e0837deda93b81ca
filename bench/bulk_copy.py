"""Bench only: rows written to PostgreSQL with COPY, for benchmarks that need many cases fast.

The application never writes this way: its writes go through the services (audited, one transaction each),
and the demo's bulk path (palermo.demo.synthetic.bulk_load) through the models. A benchmark that needs
100,000 cases or more cannot wait for either, so it draws a pool of synthetic cases once, takes each of its
`count` cases from the pool with the times moved (`pooled`), and writes the rows with COPY (`copy_rows`).
`copy_rows` takes unsaved model instances and asks each field for its stored value as a save would
(`pre_save`, then `get_db_prep_save`), so encrypted fields are sealed with the real field encryption under
the row's own key binding and blind indexes are computed from the plaintext, as the models would write them.
Used by bench/statistics_tables.py and bench/load_data.py.
"""

from __future__ import annotations

import dataclasses
import datetime
import random
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from django.db import connection, models


def next_id(model: type[models.Model]) -> int:
    """The first free primary key of `model`'s table (rows written with explicit keys start there)."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT coalesce(max(id), 0) FROM {model._meta.db_table}")  # noqa: S608
        return int(cursor.fetchone()[0]) + 1


def reset_sequences(*tables: str) -> None:
    """Move the tables' id sequences past the keys written by hand, so the application's inserts go on."""
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "  # noqa: S608
                f"(SELECT coalesce(max(id), 1) FROM {table}))"
            )


def pooled(pool: Sequence[Any], count: int, rng: random.Random, *, days: int = 90) -> Iterator[Any]:
    """`count` draws from a pool of synthetic cases, each with its times moved by up to `days`: forward or
    back for statistics (`days` > 0), only back when negative, so no moment lands in the future."""
    span = abs(days) * 86400
    for _ in range(count):
        spec = pool[rng.randrange(len(pool))]
        shift = datetime.timedelta(seconds=rng.randint(-span, span if days > 0 else 0))
        yield dataclasses.replace(
            spec,
            opened_at=spec.opened_at + shift,
            moved_at=spec.moved_at + shift if spec.moved_at else None,
            closed_at=spec.closed_at + shift if spec.closed_at else None,
        )


def _stored(field: models.Field, row: models.Model) -> Any:
    # A stamp given by the caller (a generated opening, a team entry's date) is kept; an empty one is stamped
    # as a save stamps it.
    if getattr(field, "auto_now_add", False) or getattr(field, "auto_now", False):
        value = getattr(row, field.attname)
        if value is not None:
            return field.get_db_prep_save(value, connection)
    return field.get_db_prep_save(field.pre_save(row, True), connection)


def copy_rows(model: type[models.Model], rows: Iterable[models.Model]) -> int:
    """Write unsaved `rows` of `model` with COPY, every concrete column as a save would store it. Rows with
    their primary key set are written with it; rows without one get it from the table's sequence."""
    rows = list(rows)
    if not rows:
        return 0
    fields = [
        field for field in model._meta.local_concrete_fields if not (field.primary_key and rows[0].pk is None)
    ]
    columns = ", ".join(connection.ops.quote_name(field.column) for field in fields)
    statement = f"COPY {model._meta.db_table} ({columns}) FROM STDIN"
    with connection.cursor() as cursor, cursor.cursor.copy(statement) as copy:
        for row in rows:
            copy.write_row([_stored(field, row) for field in fields])
    return len(rows)
