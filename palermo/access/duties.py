"""Whose duty a piece of work on a case is, by agency type, and who hears that the case team changed.

The rulebook gives some work to a type of agency (each entitlement of the reflection period: accommodation to
the assistance provider, legal information to legal aid...; `entitlements.<kind>_owner`). `duty_agency` says
which agency that is on one case: the case team's active agency of that type (the first to join), else the
lead agency, which answers for what no one else on the team does.

Areas above access keep such work with the right agency when the team changes: they register a listener with
`on_team_changed`; the team services (a join, a removal, a routed join, a transfer of the lead) call
`team_changed(case)` inside their transaction, so the work moves in the same all-or-nothing change.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING

from palermo.access.models import CaseTeamMember
from palermo.accounts.models import Agency
from palermo.core.registry import Registry

if TYPE_CHECKING:
    from palermo.cases.models import Case


def team_agency_of_type(case: Case, agency_type: str) -> Agency | None:
    """The case team's active agency of this type that joined first (as a whole or through a named person)."""
    entry = (
        CaseTeamMember.objects.filter(
            case_id=case.pk, removed_at__isnull=True, agency__type=agency_type, agency__is_active=True
        )
        .select_related("agency")
        .order_by("added_at", "pk")
        .first()
    )
    return entry.agency if entry is not None else None


def duty_agency(case: Case, agency_type: str) -> Agency:
    """The agency whose duty work given to `agency_type` is on this case: the team's agency of that type, else
    the lead agency."""
    return team_agency_of_type(case, agency_type) or case.lead_agency


def duty_agencies(case: Case, agency_types: Iterable[str]) -> dict[str, Agency]:
    """`duty_agency` for several types at once, in one query."""
    wanted = set(agency_types)
    entries = (
        CaseTeamMember.objects.filter(
            case_id=case.pk, removed_at__isnull=True, agency__type__in=wanted, agency__is_active=True
        )
        .select_related("agency")
        .order_by("added_at", "pk")
    )
    found: dict[str, Agency] = {}
    for entry in entries:
        found.setdefault(entry.agency.type, entry.agency)
    return {agency_type: found.get(agency_type) or case.lead_agency for agency_type in wanted}


TeamChanged = Callable[["Case"], object]
_listeners: Registry[TeamChanged] = Registry()
on_team_changed = _listeners.add
remove_team_listener = _listeners.remove


def team_changed(case: Case) -> None:
    """Tell the registered areas, inside the caller's transaction, that the case's team or lead changed."""
    for listener in _listeners:
        listener(case)
