"""The access matrix, proven entry by entry: every role x relation x tier of `data/matrix.toml` is set up for
real (agencies, memberships, a case, a team entry or a grant) and the policy and the selectors must answer
exactly what the file says. Change the file and these tests change with it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.http import Http404

from palermo.access import policy
from palermo.access.matrix import MATRIX, Relation, reads, writes
from palermo.access.selectors import case_for, cases_visible_to
from palermo.access.tiers import Tier
from palermo.accounts.models import Membership, User
from palermo.accounts.roles import Role
from palermo.audit.models import AuditEvent
from palermo.cases.models import Case
from tests.access.conftest import grant_row, membership_of, team_row

CASES = [(role, relation, tier) for role in Role for relation in Relation for tier in Tier]


@dataclass
class Situation:
    membership: Membership
    case: Case


def expected_reads(role: Role, relation: Relation) -> frozenset[Tier]:
    # A break-glass holder stands as another agency; the tiers of the relations that hold add up.
    if relation == Relation.BREAK_GLASS:
        return reads(role, Relation.OTHER_AGENCY) | reads(role, Relation.BREAK_GLASS)
    return reads(role, relation)


def expected_writes(role: Role, relation: Relation) -> frozenset[Tier]:
    if relation == Relation.BREAK_GLASS:
        return writes(role, Relation.OTHER_AGENCY) | writes(role, Relation.BREAK_GLASS)
    return writes(role, relation)


@pytest.fixture
def situation(
    make_case: Callable[..., Case], make_agency: Callable[..., object], member: Callable[..., User]
) -> Callable[[Role, Relation], Situation]:
    """A membership in `role` standing in `relation` to a child's case (where every role's rules apply)."""

    def make(role: Role, relation: Relation) -> Situation:
        user = member(role)
        membership = membership_of(user)
        own_agency = membership.agency
        lead = own_agency if relation in (Relation.TEAM, Relation.SAME_AGENCY) else make_agency()
        case = make_case(lead, is_child=True)
        if relation == Relation.TEAM:
            team_row(case, own_agency)
        elif relation == Relation.BREAK_GLASS:
            grant_row(case, membership)
        return Situation(membership, Case.objects.get(pk=case.pk))

    return make


def test_every_role_and_relation_is_generated():
    assert len(CASES) == len(Role) * len(Relation) * len(Tier) == 12 * 4 * 5


@pytest.mark.django_db
@pytest.mark.parametrize(("role", "relation", "tier"), CASES, ids=lambda v: str(getattr(v, "code", v)))
def test_policy_answers_what_the_matrix_says(role: Role, relation: Relation, tier: Tier, situation):
    s = situation(role, relation)
    assert policy.relation_of(s.membership, s.case) == relation
    assert policy.can_read(s.membership, s.case, tier) == (tier in expected_reads(role, relation))
    assert policy.can_write(s.membership, s.case, tier) == (tier in expected_writes(role, relation))


@pytest.mark.django_db
@pytest.mark.parametrize(("role", "relation", "tier"), CASES, ids=lambda v: str(getattr(v, "code", v)))
def test_selectors_answer_what_the_matrix_says(role: Role, relation: Relation, tier: Tier, situation):
    s = situation(role, relation)
    allowed = expected_reads(role, relation)
    visible = cases_visible_to(s.membership).filter(pk=s.case.pk).exists()
    assert visible == (Tier.METADATA in allowed)
    before = AuditEvent.objects.count()
    if tier in allowed:
        assert case_for(s.membership, s.case.reference, tier).pk == s.case.pk
        recorded = AuditEvent.objects.count() - before
        assert recorded == (1 if tier >= Tier.IDENTITY else 0), "every read at T2+ is recorded, no other"
    else:
        with pytest.raises(Http404):
            case_for(s.membership, s.case.reference, tier)
        assert AuditEvent.objects.count() == before


@pytest.mark.django_db
@pytest.mark.parametrize("relation", list(Relation), ids=str)
@pytest.mark.parametrize("role", [role for role in Role if MATRIX[role].only_child_cases], ids=str)
def test_child_only_roles_see_nothing_of_an_adult_case(role: Role, relation: Relation, situation):
    s = situation(role, relation)
    Case.objects.filter(pk=s.case.pk).update(is_child=False)
    adult = Case.objects.get(pk=s.case.pk)
    assert policy.tiers_allowed(s.membership, adult) == frozenset()
    assert not cases_visible_to(s.membership).filter(pk=adult.pk).exists()


@pytest.mark.django_db
@pytest.mark.parametrize("role", list(Role), ids=str)
def test_a_named_person_on_the_team_counts_and_a_colleague_does_not(role: Role, make_case, member):
    named = member(role)
    colleague = member(role, agency=membership_of(named).agency)
    case = make_case(is_child=True)
    team_row(case, membership_of(named).agency, user=named)
    assert policy.relation_of(membership_of(named), case) == Relation.TEAM
    assert policy.relation_of(membership_of(colleague), case) == Relation.OTHER_AGENCY
    assert policy.tiers_allowed(membership_of(named), case) == reads(role, Relation.TEAM)


@pytest.mark.django_db
def test_a_named_entry_counts_only_when_acting_for_that_agency(make_case, member):
    user = member(Role.CASE_MANAGER)
    member(Role.CASE_MANAGER, user=user)  # the same person in a second agency
    first, second = user.active_memberships()
    case = make_case()
    team_row(case, first.agency, user=user)
    assert policy.relation_of(first, case) == Relation.TEAM
    assert policy.relation_of(second, case) == Relation.OTHER_AGENCY
