"""Cases to identify: a case led by an agency, with the given staff's agencies on its team.

Cases are set up directly (the case record's intake is tested on its own); everything identification does
to them goes through its services.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from faker import Faker

from palermo.accounts.models import User
from palermo.cases.models import Case
from palermo.identification.models import Instrument
from palermo.identification.selectors import instrument_find

# Synthetic notes in several scripts.
fake = Faker(["en_GB", "ar_EG", "ru_RU", "vi_VN", "ro_RO", "th_TH"])


@pytest.fixture
def ilo(db: None) -> Instrument:
    instrument = instrument_find("ilo-2009-labour")
    assert instrument is not None
    return instrument


@pytest.fixture
def team_case(make_case: Callable[..., Case], responder: User, authority: User) -> Case:
    """A case with the responder's and the authority's agencies on its team."""
    return make_case(team=(responder, authority))


def note() -> str:
    return fake.sentence()
