"""Cases to identify: a case led by an agency, with the given staff's agencies on its team.

Cases are set up directly (the case record's intake is tested on its own); everything identification does
to them goes through its services.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from faker import Faker

from palermo.access.services import case_team_open
from palermo.accounts.models import Agency, User
from palermo.accounts.roles import Role
from palermo.cases.models import Case
from palermo.identification.models import Instrument
from palermo.identification.selectors import instrument_find

# Synthetic notes in several scripts.
fake = Faker(["en_GB", "ar_EG", "ru_RU", "vi_VN", "ro_RO", "th_TH"])


@pytest.fixture
def make_case(make_agency: Callable[..., Agency]) -> Callable[..., Case]:
    def make(*, team: tuple[User, ...] = (), **fields: Any) -> Case:
        """Opened by the first of `team` for their agency, with every team member's agency on the team."""
        if not team:
            return Case.objects.create(lead_agency=make_agency(), **fields)
        opener = team[0]
        case = Case.objects.create(lead_agency=opener.membership.agency, opened_by=opener, **fields)
        agencies = [user.membership.agency for user in team]
        case_team_open(actor=opener, membership=opener.membership, case=case, agencies=agencies)
        return case

    return make


@pytest.fixture
def ilo(db: None) -> Instrument:
    instrument = instrument_find("ilo-2009-labour")
    assert instrument is not None
    return instrument


@pytest.fixture
def responder(make_member: Callable[..., User]) -> User:
    return make_member(Role.FIRST_RESPONDER)


@pytest.fixture
def authority(make_member: Callable[..., User]) -> User:
    return make_member(Role.IDENTIFICATION_AUTHORITY)


@pytest.fixture
def team_case(make_case: Callable[..., Case], responder: User, authority: User) -> Case:
    """A case with the responder's and the authority's agencies on its team."""
    return make_case(team=(responder, authority))


def note() -> str:
    return fake.sentence()
