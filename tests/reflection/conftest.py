"""Cases in their reflection period: a case led by the first responder's agency with the given staff's
agencies on its team, a synthetic person with an identity document, and a clock tests can move.

Cases and persons are set up directly (intake is tested on its own); everything the reflection area does to
them goes through its services.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.core.cache import cache
from django.utils import timezone
from faker import Faker

from palermo.access.services import case_team_open
from palermo.accounts.models import User
from palermo.cases.models import Case, DocumentType, IdentityDocument, Person
from palermo.identification.models import IdentificationDecision
from palermo.identification.services.decisions import DecisionInput, decision_take
from palermo.reflection.models import ReflectionPeriod
from palermo.reflection.services.periods import period_request
from tests.names import synthetic_name

fake = Faker(["en_GB", "ar_EG", "ru_RU", "vi_VN", "ro_RO", "th_TH"])
POSITIVE = DecisionInput(
    "positive", ["indicators", "account"], "The indicators of deception and debt bondage are met."
)


class Clock:
    """Moves Django's notion of now (and so of today) without sleeping."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.offset = datetime.timedelta(0)
        real_now = timezone.now
        monkeypatch.setattr(timezone, "now", lambda: real_now() + self.offset)

    def advance(self, **delta: float) -> None:
        self.offset += datetime.timedelta(**delta)


@pytest.fixture(autouse=True)
def _fresh_throttle_counts() -> Iterator[None]:
    """Look-up counts live in the cache, keyed by user or client id, and ids repeat between tests."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    return Clock(monkeypatch)


def case_beside_its_lead(opener: User, team: tuple[User, ...]) -> Case:
    """A case led by the opener's agency whose team is the agencies of `team` only: the opener and their
    colleagues read its metadata (T1), not more."""
    case = Case.objects.create(lead_agency=opener.membership.agency, opened_by=opener)
    agencies = list({user.membership.agency for user in team})
    case_team_open(actor=opener, membership=opener.membership, case=case, agencies=agencies)
    return case


@pytest.fixture
def team_case(make_case: Callable[..., Case], responder: User, authority: User, manager: User) -> Case:
    return make_case(team=(responder, authority, manager))


def add_person(case: Case, *, document: str = "", birth_date: datetime.date | None = None) -> Person:
    given, family = synthetic_name()
    person = Person(
        case=case,
        given_names=given,
        family_names=family,
        birth_date=birth_date or fake.date_of_birth(minimum_age=18, maximum_age=60),
    )
    person.save()
    if document:
        IdentityDocument(person=person, type=DocumentType.PASSPORT, number=document).save()
    return person


def backdate(case: Case, when: datetime.datetime) -> Case:
    """A case referred earlier than now (decisions cannot be dated before the referral)."""
    Case.objects.filter(pk=case.pk).update(opened_at=when)
    case.refresh_from_db()
    return case


def decide(
    authority: User, case: Case, capture: Any, decided_at: datetime.datetime | None = None
) -> IdentificationDecision:
    """A positive presumed victim decision, committed, so the reflection hook runs."""
    data = DecisionInput(**{**POSITIVE.__dict__, "decided_at": decided_at})
    with capture(execute=True):
        return decision_take(
            actor=authority, membership=authority.membership, case=case, kind="presumed", data=data
        )


def request_period(user: User, case: Case) -> ReflectionPeriod:
    return period_request(actor=user, membership=user.membership, case=case)


@pytest.fixture
def running(team_case: Case, manager: User) -> Iterator[ReflectionPeriod]:
    """A period opened on request today on the team case."""
    yield request_period(manager, team_case)
