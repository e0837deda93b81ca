"""Cases for the residence area: a case led by the case manager's agency with the given staff's agencies on
its team, referred some months ago (so applications can be dated in the past), and a clock tests can move;
helpers that lodge, decide, appeal, assess, correct and withdraw through the services, and one that renders a
case page section alone (to count its own queries).

Cases are set up directly (intake is tested on its own); everything the residence area does to them goes
through its services.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

import pytest
from django.utils import timezone

from palermo.accounts.models import User
from palermo.accounts.roles import Role
from palermo.cases.models import Case
from palermo.residence.models import Appeal, Application, Decision, HumanitarianAssessment
from palermo.residence.services.applications import (
    ApplicationInput,
    application_correct,
    application_lodge,
    application_withdraw,
)
from palermo.residence.services.decisions import DecisionInput, appeal_lodge, decision_record
from palermo.residence.services.humanitarian import assessment_save

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
def make_case(make_case: Callable[..., Case]) -> Callable[..., Case]:
    """The shared ``make_case``, for a case referred months ago."""

    def make(**fields: Any) -> Case:
        return backdate(make_case(**fields))

    return make


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


def current_version(application: Application) -> int:
    application.refresh_from_db()
    return application.version


def decide(
    user: User,
    application: Application,
    outcome: str = "granted",
    *,
    expected_version: int | None = None,
    **fields: Any,
) -> Decision:
    """Decide the application at its current version, unless `expected_version` says another."""
    data = DecisionInput(outcome=outcome, reasons=fields.pop("reasons", REASONS), **fields)
    return decision_record(
        actor=user,
        membership=user.membership,
        application=application,
        data=data,
        expected_version=current_version(application) if expected_version is None else expected_version,
    )


def appeal_refusal(
    user: User,
    application: Application,
    *,
    lodged_on: datetime.date | None = None,
    grounds: str = "",
    body: str = "Administrative Court",
) -> Appeal:
    """Appeal the application's refusal, at its current version."""
    return appeal_lodge(
        actor=user,
        membership=user.membership,
        application=application,
        body=body,
        lodged_on=lodged_on,
        grounds=grounds,
        expected_version=current_version(application),
    )


def assess(
    user: User,
    application: Application,
    findings: dict[str, str] | None = None,
    notes: str = "",
    *,
    expected_version: int | None = None,
) -> HumanitarianAssessment:
    """Save the humanitarian assessment (`expected_version` None: the application has none yet)."""
    return assessment_save(
        actor=user,
        membership=user.membership,
        application=application,
        findings=findings or {},
        notes=notes,
        expected_version=expected_version,
    )


def correct(
    user: User,
    application: Application,
    *,
    lodged_on: datetime.date,
    expected_version: int,
    authority: str = "Immigration Office",
) -> Application:
    return application_correct(
        actor=user,
        membership=user.membership,
        application=application,
        authority=authority,
        lodged_on=lodged_on,
        expected_version=expected_version,
    )


def withdraw(user: User, application: Application, *, expected_version: int) -> Application:
    return application_withdraw(
        actor=user,
        membership=user.membership,
        application=application,
        expected_version=expected_version,
    )
