"""The one place that answers "may this acting membership read or write this tier of this case?".

Every answer is the matrix (`data/matrix.toml`) applied to the membership's relations to the case:
- `team`: an active team entry for the membership's agency as a whole, or for this user acting for it;
- `same_agency` / `other_agency`: not on the team, and the agency leads the case or does not;
- `break_glass`: an unexpired emergency grant held by this membership.
The tiers of all relations that hold add up. An inactive membership or agency has no relation at all.
A closed case takes no write but the few `palermo.access.closure` allows (`action`).

Facts about a case (on the team? a grant?) cost one query per membership and case instance, and none when the
case came from `palermo.access.selectors`, which annotates them. A service that changes a team or a grant
calls `forget_relations(case)` so the same instance is asked again.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from palermo.access.closure import OnClosedCase, may_write_on
from palermo.access.matrix import MATRIX, Relation, TeamManagement, entry
from palermo.access.models import BreakGlassGrant, CaseTeamMember, case_model
from palermo.access.tiers import Tier, parse_tier
from palermo.accounts.models import Membership
from palermo.accounts.roles import Role

if TYPE_CHECKING:
    from palermo.cases.models import Case

CACHE_ATTR = "_palermo_access_facts"
# Names of the annotations the selectors put on each case, read back here instead of querying.
ANNOTATED_FOR = "access_membership_id"
ANNOTATED_TEAM = "access_on_team"
ANNOTATED_GLASS = "access_break_glass"

TierLike = Tier | int | str


# --- the facts, as subqueries the selectors reuse ---


def team_entries_admitting(membership: Membership, case: Any = None) -> QuerySet[CaseTeamMember]:
    """Active team entries that put this membership on the case: its agency as a whole, or this user
    acting for that agency. `case` defaults to the outer query's case (for EXISTS subqueries)."""
    return CaseTeamMember.objects.filter(
        Q(user__isnull=True) | Q(user_id=membership.user_id),
        case=OuterRef("pk") if case is None else case,
        agency_id=membership.agency_id,
        removed_at__isnull=True,
    )


def active_grants(membership: Membership, case: Any = None) -> QuerySet[BreakGlassGrant]:
    """This membership's break-glass grants in force now."""
    now = timezone.now()
    return BreakGlassGrant.objects.filter(
        case=OuterRef("pk") if case is None else case,
        membership_id=membership.pk,
        granted_at__lte=now,
        expires_at__gt=now,
    )


def is_usable(membership: Membership | None) -> bool:
    """A membership that may act at all: present, active, in an active agency."""
    return membership is not None and membership.is_active and membership.agency.is_active


def _facts(membership: Membership, case: Case) -> tuple[bool, bool]:
    """(on the team, holds an active grant) for this membership and case, asked once per instance."""
    if getattr(case, ANNOTATED_FOR, None) == membership.pk:
        return bool(getattr(case, ANNOTATED_TEAM)), bool(getattr(case, ANNOTATED_GLASS))
    cache: dict[int, tuple[bool, bool]] = case.__dict__.setdefault(CACHE_ATTR, {})
    if membership.pk not in cache:
        row = (
            case_model()
            .objects.filter(pk=case.pk)
            .annotate(
                on_team=Exists(team_entries_admitting(membership)), glass=Exists(active_grants(membership))
            )
            .values_list("on_team", "glass")
            .first()
        )
        cache[membership.pk] = (bool(row[0]), bool(row[1])) if row else (False, False)
    return cache[membership.pk]


def forget_relations(case: Case) -> None:
    """Drop what this instance knows about relations (after a team change or a new grant)."""
    case.__dict__.pop(CACHE_ATTR, None)
    if ANNOTATED_FOR in case.__dict__:
        case.__dict__[ANNOTATED_FOR] = None


# --- relations ---


def relations_of(membership: Membership | None, case: Case) -> frozenset[Relation]:
    """Every relation that holds: exactly one of team / same_agency / other_agency, plus break_glass when
    a grant is in force. Empty for a membership that cannot act."""
    if membership is None or not is_usable(membership):
        return frozenset()
    on_team, glass = _facts(membership, case)
    if on_team:
        standing = Relation.TEAM
    elif case.lead_agency_id == membership.agency_id:
        standing = Relation.SAME_AGENCY
    else:
        standing = Relation.OTHER_AGENCY
    return frozenset({standing, Relation.BREAK_GLASS} if glass else {standing})


def relation_of(membership: Membership | None, case: Case) -> Relation | None:
    """The membership's standing relation to the case (team, same_agency or other_agency), or break_glass
    when an emergency grant is what brings it closer than it stands; None for a membership that cannot act.
    For what may be seen, ask `tiers_allowed`, which adds up every relation that holds."""
    relations = relations_of(membership, case)
    for relation in (Relation.TEAM, Relation.BREAK_GLASS, Relation.SAME_AGENCY, Relation.OTHER_AGENCY):
        if relation in relations:
            return relation
    return None


def _applies(membership: Membership, case: Case) -> bool:
    return not MATRIX[Role(membership.role)].only_child_cases or case.is_child


# --- tiers ---


def tiers_allowed(membership: Membership | None, case: Case) -> frozenset[Tier]:
    """The tiers this membership may read on this case (empty: the case does not exist for it)."""
    relations = relations_of(membership, case)
    if not relations or membership is None or not _applies(membership, case):
        return frozenset()
    return frozenset().union(*(entry(membership.role, relation).read for relation in relations))


def tiers_writable(
    membership: Membership | None, case: Case, *, action: OnClosedCase | None = None
) -> frozenset[Tier]:
    """The tiers this membership may write on this case: none on a closed case, unless the write is one a
    closed case still takes (`action`; palermo.access.closure)."""
    if not may_write_on(case, action):
        return frozenset()
    relations = relations_of(membership, case)
    if not relations or membership is None or not _applies(membership, case):
        return frozenset()
    return frozenset().union(*(entry(membership.role, relation).write for relation in relations))


def can_read(membership: Membership | None, case: Case, tier: TierLike) -> bool:
    return parse_tier(tier) in tiers_allowed(membership, case)


def can_write(
    membership: Membership | None, case: Case, tier: TierLike, *, action: OnClosedCase | None = None
) -> bool:
    return parse_tier(tier) in tiers_writable(membership, case, action=action)


def can_see_case(membership: Membership | None, case: Case) -> bool:
    """Whether the case exists for this membership at all: its metadata (T1) may be read."""
    return Tier.METADATA in tiers_allowed(membership, case)


def read_only_through_break_glass(membership: Membership, case: Case, tier: TierLike) -> bool:
    """True when only an emergency grant lets this tier be read (such reads are recorded as break-glass)."""
    tier = parse_tier(tier)
    relations = relations_of(membership, case)
    if Relation.BREAK_GLASS not in relations or not _applies(membership, case):
        return False
    standing = relations - {Relation.BREAK_GLASS}
    return tier in entry(membership.role, Relation.BREAK_GLASS).read and not any(
        tier in entry(membership.role, relation).read for relation in standing
    )


# --- team management ---


def can_manage_team(membership: Membership | None, case: Case) -> bool:
    """Team members whose role manages teams (the matrix's `manage_team`); a first responder only on the
    case they opened. Nobody while the case is closed."""
    if not may_write_on(case):
        return False
    if membership is None or Relation.TEAM not in relations_of(membership, case):
        return False
    if not _applies(membership, case):
        return False
    manage = entry(membership.role, Relation.TEAM).manage_team
    if manage == TeamManagement.YES:
        return True
    return manage == TeamManagement.IF_OPENED_CASE and case.opened_by_id == membership.user_id


def can_transfer_lead(membership: Membership | None, case: Case) -> bool:
    """Who may hand the lead of a case to another agency: a member of the lead agency who manages the case's
    team (its case manager; the identification authority; the first responder on the case they opened)."""
    return (
        membership is not None
        and membership.agency_id == case.lead_agency_id
        and can_manage_team(membership, case)
    )


def require(allowed: bool, why: str) -> None:
    """A service's refusal when the policy says no: PermissionDenied, with `why` for developers (never
    personal data)."""
    if not allowed:
        raise PermissionDenied(why)
