"""Synthetic referrals for the intake, person and consent tests: people from Faker in several scripts."""

from __future__ import annotations

import datetime
import itertools
from typing import Any

from faker import Faker
from unidecode import unidecode

from palermo.accounts.models import Agency, User
from palermo.cases.models import BirthDatePrecision, Case, ConsentGiver
from palermo.cases.reference import ExploitationForm, Gender
from palermo.cases.services.intake import Referral, intake_submit

# Original scripts the intake must keep: Latin, Cyrillic, Arabic, Greek, Georgian, Thai, Vietnamese, Chinese.
LOCALES = ["ro_RO", "ru_RU", "ar_EG", "el_GR", "ka_GE", "th_TH", "vi_VN", "zh_CN", "uk_UA", "en_GB"]
fake = Faker(LOCALES)
_turn = itertools.count()


def synthetic_name() -> tuple[str, str]:
    """(given names, family names) in the script of one of the locales, taking each locale in turn."""
    locale = LOCALES[next(_turn) % len(LOCALES)]
    return fake[locale].first_name(), fake[locale].last_name()


def latin(text: str) -> str:
    return unidecode(text).strip()


def referral_for(identification_agency: Agency, **overrides: Any) -> Referral:
    given, family = synthetic_name()
    values: dict[str, Any] = {
        "given_names": given,
        "family_names": family,
        "given_names_latin": latin(given),
        "family_names_latin": latin(family),
        "aliases": [fake["en_GB"].first_name()],
        "birth_date": fake["en_GB"].date_of_birth(minimum_age=19, maximum_age=60),
        "birth_date_precision": BirthDatePrecision.EXACT,
        "gender": Gender.FEMININE,
        "citizenships": ["ALB"],
        "languages": [("sqi", True), ("eng", False)],
        "phone": fake["en_GB"].phone_number(),
        "current_location": fake["en_GB"].address(),
        "contact_channel": "labour_inspection",
        "contact_details": fake["en_GB"].paragraph(),
        "exploitation_forms": [ExploitationForm.FORCED_LABOUR],
        "identification_agency": identification_agency,
        "consent_given": True,
        "consent_given_by": ConsentGiver.PERSON,
        "consent_language": "sqi",
    }
    values.update(overrides)
    return Referral(**values)


def child_overrides() -> dict[str, Any]:
    today = datetime.date.today()  # noqa: DTZ011  (a birth date, not an instant)
    return {
        "birth_date": today.replace(year=today.year - 15, day=1),
        "consent_given_by": ConsentGiver.GUARDIAN,
    }


def open_case(responder: User, identification_agency: Agency, **overrides: Any) -> Case:
    """A case opened the way a responder opens one: through the intake service."""
    return intake_submit(
        actor=responder,
        membership=responder.membership,  # type: ignore[attr-defined]
        referral=referral_for(identification_agency, **overrides),
    )
