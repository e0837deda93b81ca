"""Children's cases for the children tests: a case manager's agency leads a child's case with the manager's
agency on its team; a guardian of a guardianship service; a clock tests can move; helpers that appoint the
guardian, record a consent, and record what the area's decisions need (a best-interest determination, a
favourable family assessment) and the decisions themselves.

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
from palermo.cases.models import Case, Consent, ConsentGiver, ConsentPurpose
from palermo.cases.services.consent import consent_record
from palermo.children.models import (
    Answer,
    BestInterestKind,
    BestInterestProcedure,
    ChildStatusOutcome,
    DecidingBody,
    DurableSolution,
    EscortRole,
    FamilyAssessment,
    Guardianship,
    LegalStatusDecision,
    RiskConclusion,
    SolutionKind,
)
from palermo.children.services.best_interest import best_interest_record
from palermo.children.services.guardianship import guardian_appoint
from palermo.children.services.solutions import legal_status_decide
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


def appoint(manager: User, case: Case, guardian: User) -> Guardianship:
    return guardian_appoint(
        actor=manager,
        membership=manager.membership,  # type: ignore[attr-defined]
        case=case,
        guardian=guardian,
        agency=guardian.membership.agency,  # type: ignore[attr-defined]
    )


def give_consent(user: User, case: Case, given_by: str = ConsentGiver.GUARDIAN) -> Consent:
    """A consent to statistics on the case, given by `given_by` (on a child's case, the guardian)."""
    return consent_record(
        actor=user,
        membership=user.membership,  # type: ignore[attr-defined]
        case=case,
        purpose=ConsentPurpose.STATISTICS,
        given_by=given_by,
        language="eng",
    )


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


def status_decide(user: User, case: Case, **overrides: Any) -> LegalStatusDecision:
    values: dict[str, Any] = {
        "body": DecidingBody.COURT,
        "body_name": "Family court",
        "decided_on": timezone.localdate(),
        "outcome": ChildStatusOutcome.TEMPORARY_RESIDENCE,
        "legal_representative": "Legal aid lawyer",
        "reasons": text(),
        **VIEWS,
        **overrides,
    }
    return legal_status_decide(actor=user, membership=user.membership, case=case, **values)  # type: ignore[attr-defined]


def decide_return(user: User, case: Case, **overrides: Any) -> DurableSolution:
    """A return decided here before docs/decisions/0050, as it was saved then. No service makes one now (a
    child's return goes through palermo.returns); the record stays readable and its arrival and follow-ups
    recordable, which is what the tests using it check."""
    values: dict[str, Any] = {
        "kind": SolutionKind.RETURN,
        "country": "ALB",
        "decided_on": timezone.localdate(),
        "reasons": text(),
        "risk_assessed_on": timezone.localdate(),
        "risk_conclusion": RiskConclusion.SAFE,
        "risk_summary": text(),
        "escort_role": EscortRole.SOCIAL_WORKER,
        "escort_name": "Social worker on duty",
        "decided_by": user,
        "agency": user.membership.agency,  # type: ignore[attr-defined]
        "decided_at": timezone.now(),
        **VIEWS,
        **overrides,
    }
    return DurableSolution.objects.create(case=case, **values)
