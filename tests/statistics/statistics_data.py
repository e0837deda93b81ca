"""Synthetic populations for the statistics tests: persons on cases spread over years, sexes, age bands,
forms of exploitation and agencies (no names beyond the factories' synthetic ones)."""

from __future__ import annotations

import datetime
import random

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
