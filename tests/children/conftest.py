"""Children's cases for the children tests: a case manager's agency leads a child's case with the manager's
agency on its team; a guardian of a guardianship service; a clock tests can move; helpers that record what the
area's decisions need (a best-interest determination, a favourable family assessment).

Cases are set up directly (intake is tested on its own); everything under test goes through the services.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

import pytest
from django.utils import timezone
from faker import Faker

from palermo.accounts.models import User
from palermo.accounts.roles import Role
from palermo.cases.models import Case
from palermo.children.models import Answer, BestInterestKind, BestInterestProcedure, FamilyAssessment
from palermo.children.services.best_interest import best_interest_record
from palermo.children.services.tracing import family_assessment_record
from tests.cases.casework import make_case, put_on_team

fake = Faker(["en_GB", "ar_EG", "ru_RU", "vi_VN", "ro_RO", "th_TH"])


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


@pytest.fixture
def manager(make_member: Callable[..., User]) -> User:
    return make_member(Role.CASE_MANAGER)


@pytest.fixture
def guardian(make_member: Callable[..., User]) -> User:
    user = make_member(Role.GUARDIAN)
    user.email = f"{user.username}@guardians.example.org"
    user.save(update_fields=["email"])
    return user


@pytest.fixture
def child_case(manager: User) -> Case:
    case = make_case(manager.membership.agency, is_child=True)  # type: ignore[attr-defined]
    put_on_team(case, manager)
    return case


@pytest.fixture
def adult_case(manager: User) -> Case:
    case = make_case(manager.membership.agency, is_child=False)  # type: ignore[attr-defined]
    put_on_team(case, manager)
    return case


def text() -> str:
    return f"{fake['ru_RU'].sentence()} {fake['ar_EG'].sentence()}"


VIEWS = {
    "child_views": "Wants to stay in school here.",
    "child_age_when_heard": 15,
    "child_interpreter": "ti",
}


def determine(user: User, case: Case, **overrides: Any) -> BestInterestProcedure:
    values: dict[str, Any] = {
        "kind": BestInterestKind.DETERMINATION,
        "decided_on": timezone.localdate(),
        "participant_roles": [Role.GUARDIAN, Role.CASE_MANAGER],
        "information_considered": text(),
        "options_considered": text(),
        "decision": text(),
        "reasons": text(),
        **VIEWS,
        **overrides,
    }
    return best_interest_record(actor=user, membership=user.membership, case=case, **values)  # type: ignore[attr-defined]


def assess_family(user: User, case: Case, **overrides: Any) -> FamilyAssessment:
    values: dict[str, Any] = {
        "assessed_on": timezone.localdate(),
        "able": Answer.YES,
        "willing": Answer.YES,
        "family_involved": Answer.NO,
        "summary": text(),
        **overrides,
    }
    return family_assessment_record(actor=user, membership=user.membership, case=case, **values)  # type: ignore[attr-defined]
