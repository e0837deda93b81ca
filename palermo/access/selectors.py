"""Reads of cases through the access policy: which cases exist for a membership, and one case at a tier.

`cases_visible_to` is one query whatever the number of cases: the relations are EXISTS subqueries in the
WHERE clause, annotated on each row so that later policy questions about those rows cost nothing.
`case_for` answers missing and forbidden alike (Http404) and records every read at T2 or above.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import reduce
from operator import or_
from typing import TYPE_CHECKING

from django.db.models import Exists, Q, QuerySet, Value
from django.db.models.fields import BigIntegerField
from django.http import Http404
from django.shortcuts import get_object_or_404

from palermo.access import policy
from palermo.access.matrix import MATRIX, Relation, case_reading_relations
from palermo.access.models import BreakGlassGrant, CaseTeamMember, case_model
from palermo.access.tiers import AUDITED_READ, Tier, parse_tier
from palermo.accounts.models import Membership, User
from palermo.accounts.proxies import with_agency_tiers
from palermo.accounts.roles import Role
from palermo.audit.models import AuditEvent
from palermo.audit.selectors import is_national_dpo
from palermo.audit.services import audit_on_case

if TYPE_CHECKING:
    from palermo.cases.models import Case


def with_relations(cases: QuerySet[Case], membership: Membership) -> QuerySet[Case]:
    """Annotate each case with this membership's relations (read back by the policy without a query)."""
    return cases.annotate(
        **{
            policy.ANNOTATED_FOR: Value(membership.pk, output_field=BigIntegerField()),
            policy.ANNOTATED_TEAM: Exists(policy.team_entries_admitting(membership)),
            policy.ANNOTATED_GLASS: Exists(policy.active_grants(membership)),
        }
    )


def _visibility(membership: Membership, tier: Tier = Tier.METADATA) -> Q | None:
    """The condition on an annotated case for `tier` (by default its metadata, T1) to be readable; None when
    nothing is. A tier above T1 needs the case visible too (the tiers of the relations that hold add up)."""
    role = Role(membership.role)
    on_team = Q(**{policy.ANNOTATED_TEAM: True})
    leads = Q(lead_agency_id=membership.agency_id)
    conditions = {
        Relation.TEAM: on_team,
        Relation.SAME_AGENCY: ~on_team & leads,
        Relation.OTHER_AGENCY: ~on_team & ~leads,
        Relation.BREAK_GLASS: Q(**{policy.ANNOTATED_GLASS: True}),
    }

    def holding(relations: frozenset[Relation]) -> Q | None:
        wanted = [conditions[relation] for relation in Relation if relation in relations]
        return reduce(or_, wanted) if wanted else None

    condition = holding(case_reading_relations(role))
    if condition is not None and tier != Tier.METADATA:
        at_tier = holding(frozenset(r for r in Relation if tier in MATRIX[role].entry(r).read))
        condition = None if at_tier is None else condition & at_tier
    if condition is None:
        return None
    if MATRIX[role].only_child_cases:
        condition &= Q(is_child=True)
    return condition


def cases_visible_to(membership: Membership | None) -> QuerySet[Case]:
    """Every case whose metadata this membership may read (team, lead agency, emergency grant, as the
    matrix says for its role), in one query; no case at all for a membership that cannot act."""
    if membership is None or not policy.is_usable(membership):
        return case_model().objects.none()
    condition = _visibility(membership)
    if condition is None:
        return case_model().objects.none()
    return with_relations(case_model().objects.all(), membership).filter(condition)


def cases_on_team_of(membership: Membership | None) -> QuerySet[Case]:
    """The visible cases this membership is on the team of (its agency as a whole, or itself named): the
    cases it works on, as opposed to those it sees for leading them or by an emergency grant."""
    return cases_visible_to(membership).filter(**{policy.ANNOTATED_TEAM: True})


def cases_readable_at(membership: Membership | None, tier: Tier | int | str) -> QuerySet[Case]:
    """Every case where this membership may read `tier` (and see the case at all), in one query. A search or
    a check that matches on a value of that tier (a name, a birth date: T2) answers only inside these: a
    case it may see but not read at that tier would otherwise tell it the value (issue 15)."""
    tier = parse_tier(tier)
    if membership is None or not policy.is_usable(membership):
        return case_model().objects.none()
    condition = _visibility(membership, tier)
    if condition is None:
        return case_model().objects.none()
    return with_relations(case_model().objects.all(), membership).filter(condition)


def case_for(
    membership: Membership | None,
    reference: str,
    tier: Tier | int | str,
    reason: str = "",
    *,
    actor: User | None = None,
) -> Case:
    """The case with this reference if this membership may read it at `tier`; Http404 otherwise, the same
    for a case that does not exist. A read at T2 or above is recorded (as break-glass when only an
    emergency grant allows it)."""
    tier = parse_tier(tier)
    if membership is None or not policy.is_usable(membership):
        raise Http404
    found = (
        with_relations(case_model().objects.select_related("lead_agency"), membership)
        .filter(reference=reference)
        .order_by()  # the reference is unique: no ordering to resolve
    )
    case = next(iter(found[:1]), None)
    if case is None or not policy.can_read(membership, case, tier):
        raise Http404
    if tier in AUDITED_READ:
        emergency = policy.read_only_through_break_glass(membership, case, tier)
        action = "case.read_break_glass" if emergency else "case.read"
        audit_on_case(
            case, action, int(tier), actor=actor or membership.user, membership=membership, reason=reason
        )
    return case


# --- break-glass grants, for data protection officers ---


def break_glass_grants_visible(membership: Membership | None) -> QuerySet[BreakGlassGrant]:
    """The emergency accesses a data protection officer reviews, newest first: every one for a national DPO;
    for an agency's DPO, those on cases the agency leads or works on, and those its own members opened."""
    grants = BreakGlassGrant.objects.select_related(
        "membership__user", "membership__agency", "case", "reviewed_by"
    ).order_by("-granted_at", "-pk")
    if (
        membership is None
        or membership.role != Role.DATA_PROTECTION_OFFICER
        or not policy.is_usable(membership)
    ):
        return grants.none()
    if is_national_dpo(membership):
        return grants
    agency_id = membership.agency_id
    on_team = CaseTeamMember.objects.filter(agency_id=agency_id, removed_at__isnull=True).values("case_id")
    return grants.filter(
        Q(case__lead_agency_id=agency_id) | Q(case_id__in=on_team) | Q(membership__agency_id=agency_id)
    )


def break_glass_grant_visible(membership: Membership | None, grant_id: int) -> BreakGlassGrant:
    """One emergency access within the data protection officer's oversight (`break_glass_grants_visible`);
    404 otherwise."""
    return get_object_or_404(break_glass_grants_visible(membership), pk=grant_id)


@dataclass(frozen=True)
class OpenedRead:
    """One kind of record read while an emergency grant was in force: the section (the read's action,
    "person.read" -> "person"; "case" for the case opened at a tier) and the highest tier shown."""

    section: str
    tier: Tier

    @property
    def tier_label(self) -> str:
        return str(self.tier.label)


def break_glass_reads(grants: Iterable[BreakGlassGrant]) -> dict[int, list[OpenedRead]]:
    """What each grant's holder read on its case while the grant was in force, from the read events the
    read ledger recorded (one query for all the grants): per section, the highest tier, highest first. A
    grant with no read maps to an empty list."""
    grants = list(grants)
    opened: dict[int, dict[str, OpenedRead]] = {grant.pk: {} for grant in grants}
    if not grants:
        return {}
    events = (
        AuditEvent.objects.filter(
            case_id__in={grant.case_id for grant in grants},
            actor_id__in={grant.membership.user_id for grant in grants},
            time__gte=min(grant.granted_at for grant in grants),
            time__lt=max(grant.expires_at for grant in grants),
            tier__in=[int(tier) for tier in AUDITED_READ],
            action__contains="read",
        )
        .order_by()
        .values_list("case_id", "actor_id", "agency_id", "role", "time", "action", "tier")
    )
    for case_id, actor_id, agency_id, role, time, action, tier in events:
        for grant in grants:
            membership = grant.membership
            if (case_id, actor_id, agency_id, role) != (
                grant.case_id,
                membership.user_id,
                membership.agency_id,
                membership.role,
            ) or not (grant.granted_at <= time < grant.expires_at):
                continue
            section = action.split(".")[0]
            shown = parse_tier(tier)
            known = opened[grant.pk].get(section)
            if known is None or shown > known.tier:
                opened[grant.pk][section] = OpenedRead(section, shown)
    order = lambda read: (-read.tier, read.section)  # noqa: E731
    return {pk: sorted(found.values(), key=order) for pk, found in opened.items()}


def case_team_entries(case: Case) -> QuerySet[CaseTeamMember]:
    """The case's active team entries (read the case through `case_for` first), agencies by name. Each entry's
    `case` is the instance given (the related manager sets it), not a copy read again with every row."""
    entries = (
        case.team_members.filter(removed_at__isnull=True)
        .select_related("agency", "user")
        .order_by("agency__name", "user__username", "pk")
    )
    return with_agency_tiers(entries, "agency_id")  # what the entry's agency says, in the same query
