"""Cases and relations for the access tests.

Cases are created directly (the intake has its own tests). The matrix tests set each relation up with the
smallest row that makes it hold (a team entry, a grant); the behaviour tests go through the services.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from palermo.access.models import BreakGlassGrant, CaseTeamMember
from palermo.accounts.models import Agency, Membership, User
from palermo.accounts.roles import Role
from palermo.cases.models import Case


def membership_of(user: User) -> Membership:
    return user.membership  # type: ignore[attr-defined]


def team_row(case: Case, agency: Agency, user: User | None = None) -> CaseTeamMember:
    """A team entry written directly: set-up for the policy tests, not the service under test."""
    entry = CaseTeamMember(case=case, agency=agency, user=user, reason="set-up", added_at=timezone.now())
    entry.save()
    return entry


def grant_row(case: Case, membership: Membership, *, hours: int = 4) -> BreakGlassGrant:
    """A grant written directly, even for a role the service refuses: the policy must still give it
    nothing."""
    now = timezone.now()
    grant = BreakGlassGrant(
        membership=membership,
        case=case,
        reason="set-up for the access matrix tests",
        granted_at=now,
        expires_at=now + timedelta(hours=hours),
    )
    grant.save()
    return grant


@pytest.fixture
def member(make_member: Callable[..., User]) -> Callable[..., User]:
    """A member in `role` without an authenticator (policy tests do not sign in)."""

    def make(role: Role, *, agency: Agency | None = None, user: User | None = None) -> User:
        return make_member(role, agency=agency, user=user, two_factor=False)

    return make


@pytest.fixture
def team_case(
    make_case: Callable[..., Case], make_member: Callable[..., User]
) -> Callable[..., tuple[Case, User]]:
    """A case whose team holds a case manager of the lead agency (so the team can be changed); the manager
    has an authenticator when `two_factor` (to sign in)."""

    def make(*, two_factor: bool = False, **fields: Any) -> tuple[Case, User]:
        manager = make_member(Role.CASE_MANAGER, two_factor=two_factor)
        case = make_case(membership_of(manager).agency, opened_by=manager, **fields)
        team_row(case, membership_of(manager).agency)
        return case, manager

    return make
