"""Agencies whose name is a proxy for a higher tier (decision 0020): naming the agency that runs a safe house
says where a person is (location, T3); naming a health service says that the person receives care (health,
T4). Fields that name such an agency on a case (a consent's recipient) declare it with
`tiered(by_row=...)` and read at that tier, row by row.

The agency's type says it (a shelter, a health service), and areas add what they know through
`agency_tier_rules` (the directory: an agency offering safe accommodation, or medical or psycho-social care).
Tiers are categories, not a ladder: an agency that is both reads at location, the more dangerous to leak.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from django.db.models import QuerySet

from palermo.accounts.roles import AgencyType
from palermo.core.registry import Registry

LOCATION, HEALTH, METADATA = 3, 4, 1

AGENCY_TYPE_TIERS: dict[str, int] = {AgencyType.SHELTER: LOCATION, AgencyType.HEALTH: HEALTH}

# Functions (agency id) -> tier it is a proxy for, or None; registered from the areas' AppConfig.ready().
agency_tier_rules: Registry[Callable[[int], int | None]] = Registry()
# The same rules as expressions, (path to the agency id) -> {tier: boolean expression}, so that a list of
# rows annotated by `with_agency_tiers` needs no query per row.
agency_tier_annotations: Registry[Callable[[str], dict[int, Any]]] = Registry()
ANNOTATION_PREFIX = "agency_proxy_"
# The same rules over many agencies at once, (agency ids) -> {agency id: tiers it is a proxy for}, so that the
# rows of a whole page are answered by one lookup after they are read (`agency_tiers_after_read`).
agency_tier_lookups: Registry[Callable[[set[int]], dict[int, set[int]]]] = Registry()

_AFTER_READ: ContextVar[bool] = ContextVar("palermo_agency_tiers_after_read", default=False)
_AFTER_READ_PATH = "_palermo_agency_tiers_path"  # on the query (kept by its clones): the rows' agency id
_LOOKED_UP = "_palermo_agency_tiers"  # on a row: the tiers the lookups found for its agency


@contextmanager
def agency_tiers_after_read() -> Iterator[None]:
    """Querysets built inside are not annotated by `with_agency_tiers`; once they are read,
    `note_agency_tiers` answers every row's agency in one lookup per rule: a page that reads many lists (the
    whole case) compiles no subquery per list for it."""
    token = _AFTER_READ.set(True)
    try:
        yield
    finally:
        _AFTER_READ.reset(token)


def note_agency_tiers(querysets: Iterable[QuerySet[Any]]) -> None:
    """On the rows of these evaluated querysets built inside `agency_tiers_after_read`, what the rules say of
    each row's agency: one lookup per rule for all of them (none when no row names an agency)."""
    marked = [
        (rows, path)
        for queryset in querysets
        if (rows := queryset._result_cache) and (path := queryset.query.__dict__.get(_AFTER_READ_PATH))
    ]
    ids = {getattr(row, path) for rows, path in marked for row in rows} - {None}
    found: dict[int, set[int]] = {agency_id: set() for agency_id in ids}
    for lookup in agency_tier_lookups if ids else ():
        for agency_id, tiers in lookup(ids).items():
            found[agency_id] |= tiers
    for rows, path in marked:
        for row in rows:
            row.__dict__[_LOOKED_UP] = frozenset(found.get(getattr(row, path), ()))


def with_agency_tiers(queryset: QuerySet[Any], agency_path: str) -> QuerySet[Any]:
    """The rows annotated with what the rules say of the agency at `agency_path` (in the same query); inside
    `agency_tiers_after_read`, marked to be answered after they are read instead."""
    if (
        _AFTER_READ.get()
        and "__" not in agency_path
        and len(agency_tier_lookups) == len(agency_tier_annotations)
    ):
        marked = queryset.all()
        marked.query.__dict__[_AFTER_READ_PATH] = agency_path
        return marked
    annotations: dict[str, Any] = {}
    for index, rule in enumerate(agency_tier_annotations):
        for tier, expression in rule(agency_path).items():
            annotations[f"{ANNOTATION_PREFIX}{index}_{tier}"] = expression
    return queryset.annotate(**annotations) if annotations else queryset


def _annotated_tiers(row: Any) -> set[int] | None:
    looked_up = getattr(row, "__dict__", {}).get(_LOOKED_UP)
    if looked_up is not None:
        return set(looked_up)
    values = {
        name: value
        for name, value in getattr(row, "__dict__", {}).items()
        if name.startswith(ANNOTATION_PREFIX)
    }
    if not values:
        return None
    return {int(name.rsplit("_", 1)[1]) for name, value in values.items() if value}


def agency_proxy_tier(agency_id: int | None, agency_type: str = "", row: Any = None) -> int:
    """The tier of naming this agency on a case: T3 for a provider of safe accommodation, T4 for a health
    service, T1 for any other (and for no agency). A `row` read through `with_agency_tiers` answers from its
    annotations; otherwise each rule asks the database."""
    if agency_id is None:
        return METADATA
    found = {AGENCY_TYPE_TIERS.get(agency_type, METADATA)}
    annotated = _annotated_tiers(row) if row is not None else None
    if annotated is not None and len(agency_tier_annotations):
        found |= annotated
    else:
        found.update(tier for rule in agency_tier_rules if (tier := rule(agency_id)) is not None)
    if LOCATION in found:
        return LOCATION
    return HEALTH if HEALTH in found else METADATA
