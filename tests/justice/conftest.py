"""Cases for the justice area: a case referred months ago with a case manager, an investigator (prosecution)
and a protection officer (police) on its team, a residence decider (migration officer) on it too, and helpers
that act through the services.

Other areas' tests may call `palermo.justice.services.risk.risk_assessment_record` directly (the returns
area does) with a protection officer on the case's team.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

import pytest
from django.utils import timezone

from palermo.accounts.models import User
from palermo.accounts.roles import AgencyType, Role
from palermo.cases.models import Case
from palermo.justice.models import RiskAssessment
from palermo.justice.services.risk import Rating, risk_assessment_record
from tests.residence.conftest import backdate


def days_ago(days: int) -> datetime.date:
    return timezone.localdate() - datetime.timedelta(days=days)


@pytest.fixture
def make_case(make_case: Callable[..., Case]) -> Callable[..., Case]:
    """The shared ``make_case``, for a case referred months ago (as the residence tests make them)."""

    def make(**fields: Any) -> Case:
        return backdate(make_case(**fields))

    return make


@pytest.fixture
def prosecutor(make_member: Callable[..., User]) -> User:
    return make_member(Role.INVESTIGATOR, AgencyType.PROSECUTION)


@pytest.fixture
def protector(make_member: Callable[..., User]) -> User:
    return make_member(Role.PROTECTION_OFFICER, AgencyType.POLICE)


@pytest.fixture
def officer(make_member: Callable[..., User]) -> User:
    """The residence decider: on the team, and still reading nothing of this area."""
    return make_member(Role.MIGRATION_OFFICER)


@pytest.fixture
def lawyer(make_member: Callable[..., User]) -> User:
    return make_member(Role.SERVICE_PROVIDER, AgencyType.LEGAL_AID)


@pytest.fixture
def team_case(
    make_case: Callable[..., Case],
    manager: User,
    prosecutor: User,
    protector: User,
    officer: User,
    lawyer: User,
) -> Case:
    return make_case(team=(manager, prosecutor, protector, officer, lawyer))


def member(user: User) -> Any:
    return user.memberships.get()


def assess(protector: User, case: Case, level: str = "high", **more: Any) -> RiskAssessment:
    more.setdefault(
        "ratings",
        [Rating("retaliation", level, "Threats by phone from the group", "Police intelligence report")],
    )
    return risk_assessment_record(
        actor=protector, membership=member(protector), case=case, overall_level=level, **more
    )


def add_measure(protector: User, case: Case, **more: Any) -> Any:
    """A measure of the protection plan, begun two days ago (police protection unless told)."""
    from palermo.justice.services.risk import protection_measure_add

    values = {"kind": "police_protection", "carried_out_by": "Police witness protection unit"}
    values.update(more)
    values.setdefault("starts_on", days_ago(2))
    return protection_measure_add(actor=protector, membership=member(protector), case=case, **values)


def open_proceeding(prosecutor: User, case: Case, **more: Any) -> Any:
    from palermo.justice.services.proceedings import proceeding_open

    values = {
        "kind": "criminal",
        "authority": "Court of Examplia",
        "language": "en",
        "role": "witness",
        "charges": ["trafficking"],
        "file_number": "F-77/2026",
    }
    values.update(more)
    return proceeding_open(actor=prosecutor, membership=member(prosecutor), case=case, **values)


def schedule(prosecutor: User, case: Case, proceeding: Any, days: int = 20) -> Any:
    from palermo.justice.services.proceedings import hearing_schedule

    return hearing_schedule(
        actor=prosecutor,
        membership=member(prosecutor),
        case=case,
        proceeding=proceeding,
        held_on=timezone.localdate() + datetime.timedelta(days=days),
        court="Court of Examplia, room 3",
    )


def hold_hearing(prosecutor: User, case: Case, hearing: Any) -> Any:
    from palermo.justice.services.proceedings import hearing_held

    hearing.refresh_from_db()
    return hearing_held(
        actor=prosecutor,
        membership=member(prosecutor),
        case=case,
        hearing=hearing,
        expected_version=hearing.version,
    )
