"""Synthetic populations for the statistics tests: persons on cases spread over years, sexes, age bands,
forms of exploitation and agencies (no names beyond the factories' synthetic ones)."""

from __future__ import annotations

import datetime
import random
from decimal import Decimal
from typing import Any

from django.utils import timezone

from palermo.accounts.roles import AgencyType
from palermo.cases.models import AgeGroup, Case, CaseExploitation, PersonCitizenship
from palermo.cases.reference import ExploitationForm, Gender
from tests.factories import AgencyFactory, PersonFactory

YEARS = (2023, 2024, 2025)


def populate(count: int, *, seed: int = 7) -> list[Case]:
    """`count` cases of one person each, opened in YEARS, in two regions, with T1 facts drawn at random."""
    rng = random.Random(seed)
    agencies = [
        AgencyFactory(type=AgencyType.POLICE, region="North"),
        AgencyFactory(type=AgencyType.NGO, region="South"),
    ]
    cases = []
    for _ in range(count):
        child = rng.random() < 0.2
        person = PersonFactory(
            case__lead_agency=rng.choice(agencies),
            case__is_child=child,
            gender=rng.choice([Gender.FEMININE, Gender.MASCULINE]),
            age_group=AgeGroup.AGE_9_17 if child else rng.choice([AgeGroup.AGE_18_20, AgeGroup.AGE_30_38]),
        )
        case = person.case
        forms = rng.sample(
            [ExploitationForm.FORCED_LABOUR, ExploitationForm.SEXUAL_EXPLOITATION], rng.randint(1, 2)
        )
        CaseExploitation.objects.bulk_create(CaseExploitation(case=case, form=form) for form in forms)
        PersonCitizenship.objects.create(person=person, country=rng.choice(["NGA", "VNM", "ROU"]))
        opened = datetime.datetime(
            rng.choice(YEARS), rng.randint(1, 12), rng.randint(1, 28), 12, tzinfo=datetime.UTC
        )
        Case.objects.filter(pk=case.pk).update(opened_at=opened)
        cases.append(case)
    return cases


def _after(case: Case, days: int) -> datetime.date:
    """`days` after the case was opened (as stored: populate() moves the opening back)."""
    opened = Case.objects.values_list("opened_at", flat=True).get(pk=case.pk)
    return timezone.localtime(opened).date() + datetime.timedelta(days=days)


def _staff() -> tuple[Any, Any]:
    from tests.factories import UserFactory

    return UserFactory(), AgencyFactory(type=AgencyType.PROSECUTION, region="North")


def in_proceedings(
    case: Case, *, stage: str = "investigation", measures: tuple[str, ...] = (), put_off: tuple[str, ...] = ()
) -> Any:
    """The case's person joined to new proceedings at `stage`, called to one hearing with `measures` (kind, or
    "kind:granted") asked for it, put off once for each reason in `put_off`. Written straight to the tables:
    the figures are tested, not the services."""
    from palermo.justice.models import (
        Adjournment,
        Hearing,
        HearingMeasure,
        Proceeding,
        ProceedingParty,
        Summons,
    )

    user, agency = _staff()
    day = _after(case, 5)
    at = timezone.now()
    proceeding = Proceeding.objects.create(
        kind="criminal", authority="Court", language="en", stage=stage, opened_on=day,
        created_by=user, agency=agency, created_at=at,
    )  # fmt: skip
    party = ProceedingParty.objects.create(proceeding=proceeding, case=case, role="witness", joined_on=day)
    hearing = Hearing.objects.create(
        proceeding=proceeding, held_on=day, court="Court", created_by=user, agency=agency, created_at=at
    )
    summons = Summons.objects.create(hearing=hearing, party=party)
    for measure in measures:
        kind, _, decision = measure.partition(":")
        HearingMeasure.objects.create(
            summons=summons, kind=kind, decision=decision or "requested", requested_on=day,
            decided_on=day if decision else None,
        )  # fmt: skip
    for reason in put_off:
        Adjournment.objects.create(
            hearing=hearing, from_day=day, to_day=day + datetime.timedelta(days=30), reason=reason,
            recorded_by=user, agency=agency, recorded_at=at,
        )  # fmt: skip
    return proceeding


def claim(case: Case, *, route: str = "state_fund", awarded: bool = False, paid: bool = False) -> Any:
    from palermo.justice.models import CompensationClaim, CompensationPayment

    user, agency = _staff()
    day = _after(case, 6)
    record = CompensationClaim.objects.create(
        case=case, route=route, currency="EUR", claimed_amount=Decimal("1000.00"), claimed_on=day,
        awarded_amount=Decimal("800.00") if awarded else None, awarded_on=day if awarded else None,
        paid_amount=Decimal("100.00") if paid else Decimal("0.00"),
        recorded_by=user, agency=agency, recorded_at=timezone.now(),
    )  # fmt: skip
    if paid:
        CompensationPayment.objects.create(
            claim=record, amount=Decimal("100.00"), paid_on=day, recorded_by=user, recorded_at=timezone.now()
        )
    return record


def non_punishment(case: Case, outcome: str = "pending") -> Any:
    from palermo.justice.models import NonPunishmentRequest, Offence

    user, agency = _staff()
    day = _after(case, 7)
    offence = Offence.objects.create(
        case=case, kind="false_documents", status="charged", link="Forced to carry a false passport",
        recorded_by=user, agency=agency, recorded_at=timezone.now(),
    )  # fmt: skip
    return NonPunishmentRequest.objects.create(
        offence=offence, prosecutor="Prosecutor", language="en", requested_on=day, legal_basis="Art. 26",
        outcome=outcome, recorded_by=user, agency=agency, recorded_at=timezone.now(),
    )  # fmt: skip


def assessed(case: Case, *, level: str = "low", completed: datetime.date, review: datetime.date) -> Any:
    from palermo.justice.models import RiskAssessment

    user, agency = _staff()
    return RiskAssessment.objects.create(
        case=case, trigger="initial", overall_level=level, assessed_on=completed, completed_on=completed,
        review_on=review, rulebook="paper", assessed_by=user, agency=agency, recorded_at=timezone.now(),
    )  # fmt: skip


def returned(
    case: Case, *, status: str = "returned", followups: tuple[bool, ...] = (), on: datetime.date | None = None
) -> Any:
    """A voluntary return at `status` (arrived `on`, by default 30 days after the case opened) with follow-ups
    due before today, each made (True) or not (False)."""
    from palermo.returns.models import ReturnFollowUp, VoluntaryReturn

    user, agency = _staff()
    day = _after(case, 10)
    arrived = (on or day + datetime.timedelta(days=20)) if status in ("returned", "closed") else None
    record = VoluntaryReturn.objects.create(
        case=case, status=status, country="VNM", requested_on=day, request_language="vi", informed_on=day,
        request="I want to go home", returned_on=arrived, recorded_by=user, agency=agency,
    )  # fmt: skip
    for made in followups:
        due = (arrived or day) + datetime.timedelta(days=14)
        ReturnFollowUp.objects.create(
            voluntary_return=record, case=case, due_on=due, contacted_on=due if made else None
        )
    return record
