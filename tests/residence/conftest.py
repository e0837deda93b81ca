"""Cases for the residence area: a case led by the case manager's agency with the given staff's agencies on
its team, referred some months ago (so applications can be dated in the past), and a clock tests can move.

Cases are set up directly (intake is tested on its own); everything the residence area does to them goes
through its services.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

import pytest
from django.utils import timezone

from palermo.access.services import case_team_open
from palermo.accounts.models import Agency, User
from palermo.accounts.roles import Role
from palermo.cases.models import Case
from palermo.residence.models import Application, Decision
from palermo.residence.services.applications import ApplicationInput, application_lodge
from palermo.residence.services.decisions import DecisionInput, decision_record

REFERRED_DAYS_AGO = 200
REASONS = "The person holds a positive identified victim decision and needs time to recover."


class Clock:
    """Moves Django's notion of now (and so of today) without sleeping."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.offset = datetime.timedelta(0)
        real_now = timezone.now
        monkeypatch.setattr(timezone, "now", lambda: real_now() + self.offset)

    def advance(self, **delta: float) -> None:
        self.offset += datetime.timedelta(**delta)


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    return Clock(monkeypatch)


def backdate(case: Case) -> Case:
    """A case referred months ago (applications cannot be dated before the referral)."""
    referred = timezone.now() - datetime.timedelta(days=REFERRED_DAYS_AGO)
    Case.objects.filter(pk=case.pk).update(opened_at=referred)
    case.refresh_from_db()
    return case


@pytest.fixture
def make_case(make_agency: Callable[..., Agency]) -> Callable[..., Case]:
    def make(*, team: tuple[User, ...] = (), **fields: Any) -> Case:
        """Opened by the first of `team` for their agency, with every team member's agency on the team."""
        if not team:
            return backdate(Case.objects.create(lead_agency=make_agency(), **fields))
        opener = team[0]
        case = Case.objects.create(lead_agency=opener.membership.agency, opened_by=opener, **fields)
        agencies = list({user.membership.agency for user in team})
        case_team_open(actor=opener, membership=opener.membership, case=case, agencies=agencies)
        return backdate(case)

    return make


@pytest.fixture
def manager(make_member: Callable[..., User]) -> User:
    return make_member(Role.CASE_MANAGER)


@pytest.fixture
def officer(make_member: Callable[..., User]) -> User:
    return make_member(Role.MIGRATION_OFFICER)


@pytest.fixture
def team_case(make_case: Callable[..., Case], manager: User, officer: User) -> Case:
    return make_case(team=(manager, officer))


def days_ago(days: int) -> datetime.date:
    return timezone.localdate() - datetime.timedelta(days=days)


def lodge(user: User, case: Case, kind: str = "temporary", **fields: Any) -> Application:
    data = ApplicationInput(kind=kind, authority=fields.pop("authority", "Immigration Office"), **fields)
    return application_lodge(actor=user, membership=user.membership, case=case, data=data)


def decide(user: User, application: Application, outcome: str = "granted", **fields: Any) -> Decision:
    application.refresh_from_db()
    data = DecisionInput(outcome=outcome, reasons=fields.pop("reasons", REASONS), **fields)
    return decision_record(
        actor=user,
        membership=user.membership,
        application=application,
        data=data,
        expected_version=application.version,
    )
