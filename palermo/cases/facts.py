"""What a case has, asked once per request: which kinds of record exist for it.

The whole case page renders a dozen sections, and most cases have no record of many kinds (no residence
application yet, no assistance plan, no consent). Asking each kind's table "anything for this case?" costs one
query per kind; one query with an EXISTS per kind answers them all. `note_present_kinds` asks it and keeps the
answer on the case object of that request only (the page that renders every section calls it on a GET, so
nothing it writes can make the answer stale); `has_none` then lets a selector skip the read of a kind the case
has no row of. A case whose kinds were not noted is read as before.

The check says nothing about who may see what: a kind with rows is read through its selector as before, with
its tiers, redaction and recorded reads; a kind without rows has nothing to show or to record.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from django.db import connection, models

from palermo.cases.models import Case

_PRESENT = "_palermo_present_kinds"


@cache
def _kinds() -> tuple[tuple[str, str, str], ...]:
    """Every model with a foreign key (or one-to-one key) to the case: its label, table and key column."""
    found: set[tuple[str, str, str]] = set()
    for relation in Case._meta.related_objects:
        model, column = relation.related_model, relation.field.column
        if relation.many_to_many or not isinstance(model, type) or column is None:
            continue
        found.add((model._meta.label_lower, model._meta.db_table, column))
    return tuple(sorted(found))


@cache
def _probe_sql(vendor: str) -> str:
    """One EXISTS per kind, each an index lookup on the kind's case key. Written once from the models'
    metadata: composing it through the ORM cost more time per page than the queries it saves."""
    quote = connection.ops.quote_name
    # Table and column names come from the models' metadata, quoted; the case's key is a parameter.
    lookups = [
        f"EXISTS (SELECT 1 FROM {quote(table)} WHERE {quote(column)} = %s)"  # noqa: S608
        for _label, table, column in _kinds()
    ]
    return "SELECT " + ", ".join(lookups)


def note_present_kinds(case: Case) -> None:
    """One query: which kinds of record this case has at least one row of; kept on `case` for this request."""
    kinds = _kinds()
    with connection.cursor() as cursor:
        cursor.execute(_probe_sql(connection.vendor), [case.pk] * len(kinds))
        row = cursor.fetchone()
    if row is None:  # never for a SELECT without FROM; read every kind as before if it were
        return
    present = {label for (label, _table, _column), exists in zip(kinds, row, strict=True) if exists}
    setattr(case, _PRESENT, frozenset(present))


def has_none(case: Case, model: type[models.Model]) -> bool:
    """True only when the request noted the case's kinds and it has no row of this model's kind."""
    present: frozenset[str] | None = getattr(case, _PRESENT, None)
    if present is None or model._meta.label_lower not in _labels():
        return False  # not noted, or not a kind keyed to the case (its rows are found some other way)
    return model._meta.label_lower not in present


@cache
def _labels() -> frozenset[str]:
    return frozenset(label for label, _table, _column in _kinds())


_SHARED = "_palermo_shared_reads"


def share(case: Case, key: str, value: Any) -> Any:
    """Keep what one section read for the sections after it, on a case whose kinds this request noted (the
    page that renders every section, on a GET); elsewhere nothing is kept. Returns `value`."""
    if getattr(case, _PRESENT, None) is not None:
        shared: dict[str, Any] = case.__dict__.setdefault(_SHARED, {})
        shared[key] = value
    return value


def shared(case: Case, key: str) -> Any | None:
    """What an earlier section of this page read under `key`, or None (then read it yourself)."""
    return case.__dict__.get(_SHARED, {}).get(key)
