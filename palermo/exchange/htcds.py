"""Palermo's records in HTCDS 2.0 terms: the columns of an export, and an import row read back as a referral.

Every column is a field of the standard and every picklist value one of its value names (checked against the
standard's file by `palermo.core.htcds`). Multiselect values are separated by `;` (as Salesforce, the
standard's reference platform, writes them). A form of exploitation the standard lacks (forced criminality)
is exported as `Other`.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError

from palermo.cases.models import Case, Person
from palermo.cases.reference import ExploitationForm, Gender
from palermo.core import iso
from palermo.core.htcds import check_value, htcds_fields

COLUMNS = (
    "prs_FirstName",
    "prs_SecondName",
    "prs_Birthdate",
    "prs_Gender",
    "prs_Citizenship",
    "prs_PrimaryLanguage",
    "vic_AgreementToManagePersonalData",
    "vic_TypeOfExploitation",
    "vic_ForcedLabourIndustry",
    "vic_MethodsOfControl",
    "vic_RelationshipToTrafficker",
)
TRUE_VALUES = frozenset({"true", "1", "yes"})
FALSE_VALUES = frozenset({"false", "0", "no", ""})


def _form_out(form: str) -> str:
    return form if form in htcds_fields()["vic_TypeOfExploitation"].values else ExploitationForm.OTHER


def _countries_out(codes: Iterable[str]) -> str:
    return ";".join(sorted(codes))  # ISO 3166 alpha-3, as the standard allows


def _primary_language(person: Person) -> str:
    """The language the person was spoken to in first (their first recorded language; the consent's)."""
    languages = sorted(person.languages.all(), key=lambda language: language.pk)
    return languages[0].language if languages else ""


def case_rows(cases: Iterable[Case]) -> Iterator[dict[str, str]]:
    """One row per person of each case (persons, citizenships and forms prefetched by the caller)."""
    for case in cases:
        forms = sorted({_form_out(e.form) for e in case.exploitation_forms.all()})
        for person in case.persons.all():
            yield {
                "prs_FirstName": person.given_names,
                "prs_SecondName": person.family_names,
                "prs_Birthdate": person.birth_date.isoformat() if person.birth_date else "",
                "prs_Gender": person.gender,
                "prs_Citizenship": _countries_out(c.country for c in person.citizenships.all()),
                "prs_PrimaryLanguage": _primary_language(person),
                "vic_AgreementToManagePersonalData": "true",
                "vic_TypeOfExploitation": ";".join(forms),
                "vic_ForcedLabourIndustry": case.exploitation_sector,
                "vic_MethodsOfControl": ";".join(case.means_of_control),
                "vic_RelationshipToTrafficker": case.recruiter_relationship,
            }


def row_problems(row: Mapping[str, str]) -> list[str]:
    """Why a row does not conform to the standard (unknown fields, values outside its picklists)."""
    return [problem for name, value in row.items() if (problem := check_value(name, value or "")) is not None]


@dataclass(frozen=True)
class ImportRow:
    """A valid row, ready to become a referral."""

    line: int
    given_names: str
    family_names: str
    birth_date: datetime.date | None
    gender: str
    citizenships: list[str]
    language: str
    consent: bool
    forms: list[str]
    sector: str = ""
    control: tuple[str, ...] = ()
    relationship: str = ""

    def how(self) -> dict[str, Any]:
        """The period service's arguments for what the row says of the exploitation (no period: none)."""
        return {
            "began": None,
            "ended": None,
            "sector": self.sector,
            "means_of_control": list(self.control),
            "recruiter_relationship": self.relationship,
        }

    @property
    def placed(self) -> bool:
        """Whether the row says where or how the exploitation happened (recorded after the referral)."""
        return bool(self.sector or self.control or self.relationship)


def _split(value: str) -> list[str]:
    return [part.strip() for part in value.split(";") if part.strip()]


def read_row(line: int, row: Mapping[str, Any]) -> ImportRow:
    """A row of an HTCDS file as a referral's data; ValidationError naming the field and the reason."""
    if None in row:
        raise ValidationError("more values than columns")
    cells = {k: (v or "").strip() for k, v in row.items()}
    problems = row_problems(cells)
    if problems:
        raise ValidationError("; ".join(problems))
    if not cells.get("prs_FirstName"):
        raise ValidationError("prs_FirstName is required")
    birth = cells.get("prs_Birthdate", "")
    try:
        birth_date = datetime.date.fromisoformat(birth) if birth else None
    except ValueError:
        raise ValidationError("prs_Birthdate is not a date (YYYY-MM-DD)") from None
    countries = []
    for code in _split(cells.get("prs_Citizenship", "")):
        country = iso.normalise_country(code)
        if country is None:
            raise ValidationError(f"prs_Citizenship: {code} is not an ISO 3166 country code")
        countries.append(country)
    language = cells.get("prs_PrimaryLanguage", "")
    if language and iso.normalise_language(language) is None:
        raise ValidationError(f"prs_PrimaryLanguage: {language} is not an ISO 639-2 language code")
    agreement = cells.get("vic_AgreementToManagePersonalData", "").lower()
    if agreement not in TRUE_VALUES | FALSE_VALUES:
        raise ValidationError("vic_AgreementToManagePersonalData must be true or false")
    return ImportRow(
        line=line,
        given_names=cells["prs_FirstName"],
        family_names=cells.get("prs_SecondName", ""),
        birth_date=birth_date,
        gender=cells.get("prs_Gender") or Gender.UNKNOWN,
        citizenships=countries,
        language=language,
        consent=agreement in TRUE_VALUES,
        forms=_split(cells.get("vic_TypeOfExploitation", "")),
        sector=cells.get("vic_ForcedLabourIndustry", ""),
        control=tuple(_split(cells.get("vic_MethodsOfControl", ""))),
        relationship=cells.get("vic_RelationshipToTrafficker", ""),
    )
