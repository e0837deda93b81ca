"""The right agencies on the case, automatically: the rulebook's `[routing]` says which types of agency join a
case's team at which event (docs/routing.md).

For each type listed for the event that the team does not have yet, the agency that joins is the active agency
of that type in the case's region (the lead agency's region), else an active one with no region (a national
service); among several, the first by name. None of that type: none joins, and the audit record says so. The
join is written by the team service (`case_team_route`): the team entry, a timeline entry that names the
agency, an audit event, and a notice to the agency's members once the change commits.

The events come from the areas above access, which call this module (access imports none of them, decision
0011): identification's presumed and identified victim hooks, after the decision commits
(`route_presumed_victim`, `route_identified_victim`: each in a transaction of its own; a failure is logged and
audited and the decision stands); the case record's opened and became-a-child's hooks, inside that
transaction (`route_child_case`); and the residence area when an application is lodged (`case_route`, in its
transaction).
"""

from __future__ import annotations

import enum
import logging
from typing import TYPE_CHECKING, Protocol

from django.db import transaction
from django.utils.translation import gettext_noop

from palermo.access.duties import team_agency_of_type
from palermo.access.models import CaseTeamMember, case_model
from palermo.access.services import case_team_route
from palermo.access.tiers import Tier
from palermo.accounts.models import Agency
from palermo.audit.services import audit_on_case, audit_record
from palermo.core.rulebooks import rulebook

if TYPE_CHECKING:
    from palermo.cases.models import Case

logger = logging.getLogger(__name__)


class RoutingEvent(enum.StrEnum):
    """The events of the rulebook's `[routing]` section (each a key of it)."""

    PRESUMED_VICTIM = "presumed_victim"
    IDENTIFIED_VICTIM = "identified_victim"
    CHILD = "child"
    RESIDENCE_APPLICATION = "residence_application"


# The event in words, as the team entry's reason and in its timeline entry (worded once, in the deployment's
# language).
OCCASIONS = {
    RoutingEvent.PRESUMED_VICTIM: gettext_noop("a positive presumed victim decision"),
    RoutingEvent.IDENTIFIED_VICTIM: gettext_noop("a positive identified victim decision"),
    RoutingEvent.CHILD: gettext_noop("a child's case"),
    RoutingEvent.RESIDENCE_APPLICATION: gettext_noop("an application for residence or asylum"),
}


def routed_types(event: RoutingEvent | str) -> tuple[str, ...]:
    return tuple(getattr(rulebook().routing, RoutingEvent(event).value))


def routed_agency(case: Case, agency_type: str) -> Agency | None:
    """The agency of this type that joins this case: the active one of the case's region, else an active one
    with no region; the first by name among several; None when there is none."""
    return agency_in_region(agency_type, case.lead_agency.region)


def agency_in_region(agency_type: str, region: str) -> Agency | None:
    """The active agency of this type in this region, else an active one with no region (a national
    service); the first by name among several; None when there is none. Also who picks up a contact request
    left on the public portal (palermo.portal)."""
    candidates = Agency.objects.filter(type=agency_type, is_active=True).order_by("name", "pk")
    region = region.strip()
    if region:
        local = candidates.filter(region__iexact=region).first()
        if local is not None:
            return local
    return candidates.filter(region="").first()


@transaction.atomic
def case_route(*, case: Case, event: RoutingEvent | str) -> list[CaseTeamMember]:
    """Put on the case team each agency the rulebook routes to this event that it lacks; returns the new
    entries. Idempotent: a type already on the team (an agency of it, active) is skipped."""
    event = RoutingEvent(event)
    locked = (
        case_model().objects.select_for_update(of=("self",)).select_related("lead_agency").get(pk=case.pk)
    )
    joined = []
    for agency_type in routed_types(event):
        if team_agency_of_type(locked, agency_type) is not None:
            continue
        agency = routed_agency(locked, agency_type)
        if agency is None:
            unmatched = f"{event.value}: no active agency of type {agency_type}"
            audit_on_case(
                locked, "case_team.route_unmatched", int(Tier.METADATA), actor=None, reason=unmatched
            )
            continue
        joined.append(case_team_route(case=locked, agency=agency, occasion=OCCASIONS[event]))
    return joined


def route_after_commit(case_id: int, event: RoutingEvent) -> list[CaseTeamMember]:
    """Route from a hook that runs once another change committed: in a transaction of its own, and never
    raising (the change that caused it stands); a failure is logged and put on the audit record."""
    try:
        case = case_model().objects.select_related("lead_agency").get(pk=case_id)
        return case_route(case=case, event=event)
    except Exception:
        logger.exception("routing after %s on case %s failed", event.value, case_id)
        with transaction.atomic():
            audit_record(
                actor=None,
                action="case_team.route_failed",
                tier=int(Tier.METADATA),
                case=case_model().objects.filter(pk=case_id).first(),
                object_type="case",
                object_id=str(case_id),
                reason=event.value,
            )
        return []


class OnCase(Protocol):
    """What a hook's event carries that routing needs: the case's id."""

    @property
    def case_id(self) -> int: ...


def route_presumed_victim(event: OnCase) -> None:
    """The identification hook of a positive presumed victim decision (registered by identification)."""
    route_after_commit(event.case_id, RoutingEvent.PRESUMED_VICTIM)


def route_identified_victim(event: OnCase) -> None:
    """The identification hook of a positive identified victim decision (registered by identification)."""
    route_after_commit(event.case_id, RoutingEvent.IDENTIFIED_VICTIM)


def route_child_case(case: Case) -> None:
    """The case record's hooks of a case opened, or become, a child's (registered by cases): inside the
    transaction that makes it so. An adult's case routes nothing."""
    if case.is_child:
        case_route(case=case, event=RoutingEvent.CHILD)
