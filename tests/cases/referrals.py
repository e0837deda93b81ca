"""Synthetic referrals for the intake, person and consent tests: people from Faker in several scripts."""

from __future__ import annotations

import datetime
from typing import Any

from palermo.accounts.models import Agency, User
from palermo.cases.models import BirthDatePrecision, Case, ConsentGiver
from palermo.cases.reference import ExploitationForm, Gender
from palermo.cases.services.intake import Referral, intake_submit
from tests.names import fake, latin, synthetic_name

# A draft holds at least one answer: an empty one is refused (palermo.cases.services.intake.clean_draft_data).
AN_ANSWER = {"phone": "+44 7700 900123"}


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
