"""Several querysets answered by one statement (decision 0015).

A page that shows a dozen kinds of record reads each kind with a query of its own, and each kind's sub-lists
(prefetch_related) with one more per list. `evaluate_together(querysets)` reads them all in one statement:
each queryset is compiled as Django would run it (its filters, select_related, annotations, ordering, limits)
and becomes one JSON array in a single SELECT; the rows are turned back into model instances by Django's own
compiler (its converters, select_related populators and annotations), so each queryset ends up evaluated
exactly as if it had been iterated. Their prefetch_related lookups are then read the same way, one statement
per level of lookups for all the querysets together.

Nothing is read that the querysets would not have read, and nothing is opened: encrypted fields come back as
`Sealed` values, opened only when a selector's tiered record is read (palermo.access.tiered). A queryset this
module cannot carry faithfully (DISTINCT, a union, a column type JSON does not keep, a nested prefetch) is
simply evaluated on its own, as before.
"""

from __future__ import annotations

import datetime
import decimal
import json
import uuid
from collections.abc import Callable, Sequence
from functools import cache
from typing import Any, cast

from django.db import connections
from django.db.models import Model, Prefetch, QuerySet
from django.db.models.fields.related_descriptors import (  # type: ignore[attr-defined]
    _filter_prefetch_queryset,
)
from django.db.models.query import (
    ModelIterable,
    get_prefetcher,
    normalize_prefetch_lookups,
    prefetch_one_level,
)

ROW_NUMBER = "palermo_batch_n"
CHUNK = 60  # columns per JSON array: below SQLite's 127 and PostgreSQL's 100 function arguments


def _from_json_postgresql(internal_type: str) -> Callable[[Any], Any] | None:
    """How a value that PostgreSQL wrote into JSON becomes what its driver would have returned."""
    readers: dict[str, Callable[[Any], Any]] = {
        "DateTimeField": datetime.datetime.fromisoformat,
        "DateField": datetime.date.fromisoformat,
        "UUIDField": uuid.UUID,
        "DecimalField": lambda value: decimal.Decimal(str(value)),
    }
    return readers.get(internal_type)


# Column types whose values JSON does not carry back faithfully: such a queryset is read on its own.
_UNSUPPORTED = frozenset(
    {"BinaryField", "DurationField", "TimeField", "JSONField", "ArrayField", "HStoreField"}
)


class _Plan:
    """One queryset compiled for the batch: its SQL as a JSON array of rows, and how to read them back."""

    def __init__(self, queryset: QuerySet[Any]) -> None:
        if _reads_unsupported_column(queryset):
            raise _CannotBatch  # known before compiling: the queryset compiles once, when read on its own
        self.queryset = queryset
        self.vendor = connections[queryset.db].vendor
        compiler = queryset.query.get_compiler(using=queryset.db)
        self.compiler = compiler
        ordering: list[Any] = []
        compute_order = compiler.get_order_by

        def order_once() -> Any:  # the compiler's ORDER BY, compiled once for its SQL and for ROW_NUMBER()
            if not ordering:
                ordering.append(compute_order())
            return ordering[0]

        compiler.get_order_by = order_once  # type: ignore[method-assign]
        inner, params = compiler.as_sql(with_col_aliases=True)
        columns = [alias for _expression, _sql, alias in compiler.select[: compiler.col_count]]
        self.readers: list[Callable[[Any], Any] | None] = []
        for expression, _sql, _alias in compiler.select[: compiler.col_count]:
            internal = expression.output_field.get_internal_type()
            if internal in _UNSUPPORTED:
                raise _CannotBatch
            self.readers.append(_from_json_postgresql(internal) if self.vendor == "postgresql" else None)
        order = []
        order_params: list[Any] = []
        for _expression, (sql, sql_params, is_ref) in compiler.get_order_by():
            if is_ref:
                raise _CannotBatch
            order.append(sql)
            order_params += sql_params
        if not inner.startswith("SELECT ") or inner.startswith("SELECT DISTINCT"):
            raise _CannotBatch
        quote = connections[queryset.db].ops.quote_name
        numbered = f"ROW_NUMBER() OVER (ORDER BY {', '.join(order)})" if order else "ROW_NUMBER() OVER ()"
        inner = f"SELECT {numbered} AS {quote(ROW_NUMBER)}, " + inner[len("SELECT ") :]
        names = [quote(ROW_NUMBER), *(quote(alias) for alias in columns)]
        array, aggregate = (
            ("json_build_array", "json_agg")
            if self.vendor == "postgresql"
            else ("json_array", "json_group_array")
        )
        chunks = [
            f"{array}({', '.join(f'b.{name}' for name in names[start : start + CHUNK])})"
            for start in range(0, len(names), CHUNK)
        ]
        self.sql = f"(SELECT {aggregate}({array}({', '.join(chunks)})) FROM ({inner}) b)"  # noqa: S608
        self.params = [*order_params, *params]

    def instances(self, value: Any) -> list[Model]:
        """The queryset's model instances from its JSON array, as ModelIterable makes them."""
        rows = json.loads(value) if isinstance(value, str) else (value or [])
        flat = [[cell for chunk in row for cell in chunk] for row in rows]
        flat.sort(key=lambda row: row[0])
        readers = self.readers
        converted = [
            [
                cell if reader is None or cell is None else reader(cell)
                for reader, cell in zip(readers, row[1:], strict=True)
            ]
            for row in flat
        ]
        iterable: ModelIterable[Model] = ModelIterable(self.queryset)
        compiler = self.compiler
        compiler.execute_sql = lambda *args, **kwargs: [converted]  # type: ignore[method-assign]
        compiler.setup_query = lambda *args, **kwargs: None  # type: ignore[method-assign]
        query = self.queryset.query
        query.get_compiler = lambda *args, **kwargs: compiler  # type: ignore[method-assign]
        try:
            return list(iterable)
        finally:
            del query.get_compiler


class _CannotBatch(Exception):
    pass


@cache
def _has_unsupported_field(model: type[Model]) -> bool:
    return any(field.get_internal_type() in _UNSUPPORTED for field in model._meta.concrete_fields)


def _reads_unsupported_column(queryset: QuerySet[Any]) -> bool:
    """Whether the queryset surely selects a column the batch cannot carry: it reads every column of a model
    that has one (no `only`/`defer`, no `values`). Other querysets are found out while compiling."""
    query = queryset.query
    reads_all = query.deferred_loading == (frozenset(), True) and not query.values_select
    model: type[Model] = queryset.model
    return reads_all and _has_unsupported_field(model)


def _fetch(querysets: Sequence[Any]) -> list[list[Model]]:
    """Each queryset's instances, all those that can be batched read in one statement (no prefetches)."""
    plans: dict[int, _Plan] = {}
    for index, queryset in enumerate(querysets):
        if queryset._result_cache is not None or queryset.query.is_empty():
            continue
        if queryset.query.combinator or queryset._iterable_class is not ModelIterable:
            continue
        try:
            plans[index] = _Plan(queryset)
        except _CannotBatch:
            continue
    values: list[Any] = []
    if plans:
        databases = {plan.queryset.db for plan in plans.values()}
        if len(databases) == 1:
            sql = "SELECT " + ", ".join(plan.sql for plan in plans.values())
            with connections[databases.pop()].cursor() as cursor:
                cursor.execute(sql, [param for plan in plans.values() for param in plan.params])
                values = list(cursor.fetchone() or ())
        else:
            plans = {}
    found = dict(zip(plans, values, strict=False))
    results: list[list[Model]] = []
    for index, queryset in enumerate(querysets):
        if index in found:
            results.append(plans[index].instances(found[index]))
        elif queryset._result_cache is not None:
            results.append(list(queryset._result_cache))
        elif queryset.query.is_empty():
            results.append([])  # what iterating it gives, without compiling it (a kind the case has none of)
        else:
            lookups = queryset._prefetch_related_lookups
            plain = queryset._chain()
            plain._prefetch_related_lookups = ()
            results.append(list(plain))
            queryset._prefetch_related_lookups = lookups
    return results


def evaluate_together(given: Sequence[QuerySet[Any]]) -> None:
    """Evaluate every queryset: one statement for all of them, then one per level of their prefetch lookups
    (all querysets together); afterwards each iterates from its cache, with its prefetched lists in place."""
    querysets: list[Any] = [queryset for queryset in given if queryset._result_cache is None]
    for queryset, instances in zip(querysets, _fetch(querysets), strict=True):
        queryset._result_cache = instances
    pending = [
        (queryset._result_cache, lookup)
        for queryset in querysets
        for lookup in normalize_prefetch_lookups(reversed(queryset._prefetch_related_lookups))
        if queryset._result_cache
    ]
    _prefetch_level(pending)
    for queryset in querysets:
        queryset._prefetch_done = True


def _prefetch_level(pending: list[tuple[list[Any], Prefetch]]) -> None:
    """One level of prefetch lookups (each `name`, optionally with a queryset) for all the lists, in one
    statement; a lookup through several relations is left to Django."""
    prepared = []
    fallback = []
    for instances, lookup in pending:
        if "__" in lookup.prefetch_through:
            fallback.append((instances, lookup))
            continue
        through, to_attr = lookup.prefetch_through, lookup.get_current_to_attr(0)[0]
        for instance in instances:
            if not hasattr(instance, "_prefetched_objects_cache"):
                instance._prefetched_objects_cache = {}
        prefetcher, _descriptor, found, fetched = get_prefetcher(instances[0], through, to_attr)
        is_fetched = cast(Callable[[Any], bool], fetched)  # a function since Django 5.0, a bool in the stubs
        if prefetcher is None or not found or not hasattr(prefetcher, "get_prefetch_querysets"):
            fallback.append((instances, lookup))
            continue
        unfetched = [instance for instance in instances if not is_fetched(instance)]
        if not unfetched:
            continue
        querysets = lookup.get_current_querysets(0)
        if _is_reverse_foreign_key(prefetcher):
            answer = _reverse_foreign_key_answer(prefetcher, unfetched, querysets)
        else:
            answer = prefetcher.get_prefetch_querysets(unfetched, querysets)
        if getattr(answer[0], "_prefetch_related_lookups", ()):
            fallback.append((instances, lookup))
            continue
        prepared.append((unfetched, lookup, answer, prefetcher))
    for (instances, _lookup, answer, prefetcher), rows in zip(
        prepared, _fetch([answer[0] for _i, _l, answer, _p in prepared]), strict=True
    ):
        answer[0]._result_cache = rows
        answer[0]._prefetch_done = True
        if _is_reverse_foreign_key(prefetcher):  # what the manager's own prefetch does while it reads
            field, rel_obj_attr, instance_attr = prefetcher.field, answer[1], answer[2]
            parents = {instance_attr(instance): instance for instance in instances}
            for row in rows:
                if not field.is_cached(row):
                    field.set_cached_value(row, parents[rel_obj_attr(row)])
    for instances, lookup, answer, _prefetcher in prepared:
        prefetch_one_level(instances, _Answered(answer), lookup, 0)
    if fallback:
        from django.db.models import prefetch_related_objects

        for instances, lookup in fallback:
            prefetch_related_objects(instances, lookup)


def _is_reverse_foreign_key(prefetcher: Any) -> bool:
    """A reverse many-to-one manager (`case.notes`), whose own prefetch reads its queryset at once."""
    field = getattr(prefetcher, "field", None)
    return (
        field is not None
        and not hasattr(prefetcher, "through")
        and getattr(field, "many_to_one", False)
        and getattr(prefetcher, "instance", None) is not None
    )


def _reverse_foreign_key_answer(prefetcher: Any, instances: list[Model], querysets: Any) -> tuple[Any, ...]:
    """What the reverse many-to-one manager's get_prefetch_querysets returns, without reading it."""
    queryset = querysets[0] if querysets else prefetcher.model._default_manager.all()
    queryset._add_hints(instance=instances[0])
    queryset = queryset.using(queryset._db or prefetcher._db)
    field = prefetcher.field
    queryset = _filter_prefetch_queryset(queryset, field.name, instances)
    return (
        queryset,
        field.get_local_related_value,
        field.get_foreign_related_value,
        False,
        field.remote_field.cache_name,
        False,
    )


class _Answered:
    """A prefetcher whose querysets were already read by the batch."""

    def __init__(self, answer: tuple[Any, ...]) -> None:
        self.answer = answer

    def get_prefetch_querysets(self, instances: Any, querysets: Any = None) -> tuple[Any, ...]:
        return self.answer
