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

from collections.abc import Callable
from functools import cache
from typing import Any

from django.db import connection, models
from django.db.models import QuerySet

from palermo.accounts.proxies import agency_tiers_after_read, note_agency_tiers
from palermo.cases.models import Case
from palermo.core.batch import evaluate_together

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


def nothing(queryset: QuerySet[Any]) -> QuerySet[Any]:
    """`queryset.none()`, already evaluated: iterating it, counting it or taking its `.first()` neither
    compiles nor runs anything (Django would compile the whole query only to find it empty). A queryset
    chained from it is a new one, still empty."""
    empty = queryset.none()
    empty._result_cache = []
    empty._prefetch_done = True  # type: ignore[attr-defined]
    return empty


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


# --- the page's reads in one statement (decision 0015) ------------------------------------------------------

CaseReads = Callable[[Case, frozenset[int]], dict[str, QuerySet[Any]]]
_case_reads: dict[str, CaseReads] = {}
_PRELOADED = "_palermo_preloaded_reads"


def register_case_reads(area: str, reads: CaseReads) -> None:
    """An area's reads for the page that renders every section: `reads(case, tiers)` gives the querysets its
    selectors would run, by key; the page reads them all in one statement (palermo.core.batch) and each
    selector takes its own with `preloaded`. Call from AppConfig.ready(); the first registration wins."""
    _case_reads.setdefault(area, reads)


def preload_case_reads(case: Case, tiers: frozenset[int]) -> None:
    """Every registered read of `case` in one statement (and one per level of their sub-lists), kept on the
    case for this request; only where its kinds were noted (a GET of the page that renders every section)."""
    if getattr(case, _PRESENT, None) is None:
        return
    querysets: dict[str, QuerySet[Any]] = {}
    with agency_tiers_after_read():  # the rows' agencies answered once, after the rows are read
        for reads in _case_reads.values():
            querysets.update(reads(case, tiers))
    evaluate_together(list(querysets.values()))
    note_agency_tiers(querysets.values())
    case.__dict__[_PRELOADED] = querysets


def is_preloaded(case: Case) -> bool:
    """Whether this request read the page's registered reads in one statement."""
    return _PRELOADED in case.__dict__


def preloaded_only(case: Case, key: str) -> QuerySet[Any] | None:
    """The queryset the page read under `key`, or None where it read none (then read as before)."""
    found: QuerySet[Any] | None = case.__dict__.get(_PRELOADED, {}).get(key)
    return found


def preloaded(case: Case, key: str, build: Callable[[], QuerySet[Any]]) -> QuerySet[Any]:
    """The queryset the page read in its one statement under `key`, evaluated; elsewhere `build()`, as before.
    Who may see what is unchanged: the selector still redacts and notes the read of what it hands out."""
    found: QuerySet[Any] | None = case.__dict__.get(_PRELOADED, {}).get(key)
    return found if found is not None else build()


def first_of(queryset: QuerySet[Any]) -> QuerySet[Any]:
    """The one-row queryset `.first()` reads (ordered by pk when it has no order), to read with the page."""
    return (queryset if queryset.ordered else queryset.order_by("pk"))[:1]


def preloaded_first(case: Case, key: str, build: Callable[[], QuerySet[Any]]) -> Any | None:
    """`.first()` of the queryset `build()` gives, read with the page's other reads when it registered it
    under `key` (as `first_of(build())`)."""
    return next(iter(preloaded(case, key, lambda: first_of(build()))), None)
