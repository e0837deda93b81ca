"""Adults' cases for the returns tests: a case manager's agency leads an adult's case with one synthetic
person (names in several scripts), a system administrator, and helpers for a second instance's keys and
for consent to transfer abroad. Cases are set up directly; everything under test goes through the services."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.test import override_settings
from faker import Faker

from palermo.accounts.models import User
from palermo.accounts.roles import Role
from palermo.cases.models import (
    Case,
    Consent,
    ConsentGiver,
    ConsentPurpose,
    PersonCitizenship,
    PersonLanguage,
)
from palermo.cases.services.consent import consent_record
from palermo.core.secrets import make_transnational_keys
from palermo.origin.models import Partner
from palermo.returns import jose
from palermo.returns.models import PartnerKey
from palermo.returns.services.packages import partner_key_register
from tests.cases.casework import add_person, make_case, put_on_team
from tests.origin.conftest import add_partner

fake = Faker(["en_GB", "ar_EG", "ru_RU", "vi_VN", "ro_RO", "th_TH"])


@pytest.fixture
def admin(make_member: Callable[..., User]) -> User:
    return make_member(Role.SYSTEM_ADMINISTRATOR)


@pytest.fixture
def adult_case(manager: User) -> Case:
    case = make_case(manager.membership.agency, is_child=False, forms=("ForcedLabour",))  # type: ignore[attr-defined]
    put_on_team(case, manager)
    person = add_person(case)
    PersonCitizenship.objects.create(person=person, country="ALB")
    PersonLanguage.objects.create(person=person, language="sqi")
    return case


class Instance:
    """One installation's own key pair (a private JWK set, as its PALERMO_TRANSNATIONAL_KEYS holds it)."""

    def __init__(self) -> None:
        self.secret = make_transnational_keys()
        self.keys = jose.key_pair(self.secret, private=True)

    def active(self) -> Any:
        return override_settings(TRANSNATIONAL_KEYS=self.secret)


@pytest.fixture
def here() -> Iterator[Instance]:
    instance = Instance()
    with instance.active():
        yield instance


@pytest.fixture
def abroad() -> Instance:
    return Instance()


def partner_in(editor: User, country: str = "ALB", kind: str = "nrm") -> Partner:
    return add_partner(
        editor, name=f"{fake.company()} (synthetic)", kind=kind, country=country, services=["reception"]
    )


def register(admin: User, editor: User, instance: Instance, *, country: str = "ALB") -> PartnerKey:
    """A partner in `country` (added to the origin directory by `editor`) with `instance`'s public keys."""
    return partner_key_register(
        actor=admin,
        membership=admin.membership,  # type: ignore[attr-defined]
        partner=partner_in(editor, country),
        public_keys=instance.keys.public_set(),
        fingerprint=instance.keys.fingerprint.lower().replace(" ", ":"),
    )


def consent_abroad(user: User, case: Case, country: str = "ALB") -> Consent:
    return consent_record(
        actor=user,
        membership=user.membership,  # type: ignore[attr-defined]
        case=case,
        purpose=ConsentPurpose.TRANSNATIONAL,
        given_by=ConsentGiver.PERSON,
        language="sqi",
        recipient_country=country,
    )


@pytest.fixture
def protector(make_member: Callable[..., User], adult_case: Case) -> User:
    """Who assesses risk on the case (the proceedings area's protection officer), on its team."""
    user = make_member(Role.PROTECTION_OFFICER, "police")
    put_on_team(adult_case, user)
    return user


def assess_risk(protector: User, case: Case, level: str) -> Any:
    from palermo.justice.services.risk import risk_assessment_record

    return risk_assessment_record(
        actor=protector,
        membership=protector.membership,  # type: ignore[attr-defined]
        case=case,
        overall_level=level,
    )


def text() -> str:
    return f"{fake['ru_RU'].sentence()} {fake['ar_EG'].sentence()} {fake['th_TH'].sentence()}"
