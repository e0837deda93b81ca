"""Forms for a person's details on the case page, and the birth-date fields the intake form shares.

A birth date is asked the way people know it: a year, perhaps a month, perhaps a day, or else "about N years
old". The precision follows from what was given (`BirthDateFieldsMixin`), so nobody has to choose one.
Personal fields switch the browser's autofill off: this is someone else's data on a shared device.
"""

from __future__ import annotations

import calendar
import datetime
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.dates import MONTHS
from django.utils.translation import gettext_lazy as _

from palermo.access.tiers import Tier
from palermo.cases.age import age_on, birth_date_from_age_estimate
from palermo.cases.models import BirthDatePrecision, DocumentHolder, DocumentType, Person
from palermo.cases.reference import Gender
from palermo.cases.services.person import PERSON_FIELD_TIERS, TEXT_LIMITS
from palermo.core.forms import StyledForm, country_field, language_field

NO_AUTOFILL = {"autocomplete": "off", "autocapitalize": "words", "spellcheck": "false"}
OLDEST_YEAR = 1900
OLDEST_AGE = 120


def text_field(
    label: Any, name: str, *, required: bool = False, textarea: bool = False, **kwargs: Any
) -> forms.CharField:
    widget: forms.Widget = (
        forms.Textarea(attrs={"rows": 3, "autocomplete": "off"})
        if textarea
        else forms.TextInput(attrs=dict(NO_AUTOFILL))
    )
    return forms.CharField(
        label=label, max_length=TEXT_LIMITS[name], required=required, widget=widget, **kwargs
    )


def latin_name_fields() -> tuple[forms.CharField, forms.CharField]:
    """The given and the family names in Latin letters (optional), asked alike on the referral and on the
    person's form."""
    return (
        text_field(_("Given names in Latin letters"), "given_names_latin"),
        text_field(_("Family names in Latin letters"), "family_names_latin"),
    )


class BirthDateFieldsMixin(forms.Form):
    """Year / month / day or an age estimate, cleaned into `birth_date` and `birth_date_precision`."""

    birth_year = forms.IntegerField(
        label=_("Year of birth"),
        required=False,
        min_value=OLDEST_YEAR,
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    birth_month = forms.TypedChoiceField(
        label=_("Month of birth"),
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", _("Not known")), *((number, name) for number, name in MONTHS.items())],
    )
    birth_day = forms.IntegerField(
        label=_("Day of birth"),
        required=False,
        min_value=1,
        max_value=31,
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    age_estimate = forms.IntegerField(
        label=_("Or: about how old (years)"),
        required=False,
        min_value=0,
        max_value=OLDEST_AGE,
        help_text=_("When no year of birth is known: the person's own or your estimate."),
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )

    def clean_birth_date_fields(self, cleaned: dict[str, Any]) -> None:
        year, month, day = cleaned.get("birth_year"), cleaned.get("birth_month"), cleaned.get("birth_day")
        estimate = cleaned.get("age_estimate")
        on = timezone.localdate()
        cleaned["birth_date"], cleaned["birth_date_precision"] = None, BirthDatePrecision.EXACT
        if year is None:
            if month or day:
                self.add_error("birth_year", _("Give the year, or leave month and day empty."))
            elif estimate is not None:
                cleaned["birth_date"] = birth_date_from_age_estimate(estimate, on)
                cleaned["birth_date_precision"] = BirthDatePrecision.ESTIMATED
            return
        if estimate is not None:
            self.add_error("age_estimate", _("Give either the date of birth or an age estimate, not both."))
            return
        if day and not month:
            self.add_error("birth_month", _("Give the month too, or leave the day empty."))
            return
        if year > on.year:
            self.add_error("birth_year", _("The date of birth cannot be in the future."))
            return
        if month and day:
            if day > calendar.monthrange(year, month)[1]:
                self.add_error("birth_day", _("This month has no such day."))
                return
            birth = datetime.date(year, month, day)
            precision = BirthDatePrecision.EXACT
        elif month:
            birth, precision = datetime.date(year, month, 1), BirthDatePrecision.YEAR_MONTH
        else:
            birth, precision = datetime.date(year, 1, 1), BirthDatePrecision.YEAR
        if age_on_or_none(birth, precision, on) is None:
            self.add_error(
                "birth_day" if day else "birth_month", _("The date of birth cannot be in the future.")
            )
            return
        cleaned["birth_date"], cleaned["birth_date_precision"] = birth, precision


def age_on_or_none(birth: datetime.date, precision: str, on: datetime.date) -> Any:
    try:
        return age_on(birth, precision, on)
    except ValueError:
        return None


def birth_date_initial(person: Person) -> dict[str, Any]:
    """The year / month / day / estimate fields that show a stored birth date."""
    birth, precision = person.birth_date, person.birth_date_precision
    if birth is None:
        return {}
    if precision == BirthDatePrecision.ESTIMATED:
        age = age_on_or_none(birth, precision, timezone.localdate())
        return {"age_estimate": age.estimate if age else None}
    initial: dict[str, Any] = {"birth_year": birth.year}
    if precision in {BirthDatePrecision.EXACT, BirthDatePrecision.YEAR_MONTH}:
        initial["birth_month"] = birth.month
    if precision == BirthDatePrecision.EXACT:
        initial["birth_day"] = birth.day
    return initial


# Person fields the edit form offers, by tier; the birth date is edited through the mixin's fields.
PERSON_FORM_FIELDS: dict[Tier, tuple[str, ...]] = {
    Tier.METADATA: ("gender", "age_uncertain", "believed_child"),
    Tier.IDENTITY: (
        "given_names",
        "family_names",
        "given_names_latin",
        "family_names_latin",
        "birth_date",
        "phone",
        "email",
    ),
    Tier.LOCATION: ("current_address",),
    Tier.NARRATIVE: ("note",),
}
BIRTH_DATE_INPUTS = ("birth_year", "birth_month", "birth_day", "age_estimate")


class PersonForm(StyledForm, BirthDateFieldsMixin):
    """A person's editable fields, only those of tiers the editor may write; the version read goes along."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    given_names = text_field(_("Given names (as the person writes them)"), "given_names", required=True)
    family_names = text_field(_("Family names (as the person writes them)"), "family_names")
    given_names_latin, family_names_latin = latin_name_fields()
    phone = text_field(_("Contact phone"), "phone")
    email = forms.EmailField(
        label=_("Email"),
        required=False,
        max_length=TEXT_LIMITS["email"],
        widget=forms.EmailInput(attrs=NO_AUTOFILL),
    )
    current_address = text_field(_("Where the person is now"), "current_address", textarea=True)
    note = text_field(_("Note about the person (their story and health)"), "note", textarea=True)
    gender = forms.ChoiceField(label=_("Gender"), choices=Gender.choices)
    age_uncertain = forms.BooleanField(label=_("The age is uncertain"), required=False)
    believed_child = forms.BooleanField(
        label=_("There are reasons to believe the person is a child"), required=False
    )

    def __init__(
        self, *args: Any, writable: frozenset[int] | set[int], person: Person | None = None, **kwargs: Any
    ) -> None:
        self.person = person
        super().__init__(*args, **kwargs)
        allowed = {name for tier, names in PERSON_FORM_FIELDS.items() if tier in writable for name in names}
        for name in list(self.fields):
            if name == "version":
                continue
            base = "birth_date" if name in BIRTH_DATE_INPUTS else name
            if base not in allowed:
                del self.fields[name]

    @property
    def edits_birth_date(self) -> bool:
        return "birth_year" in self.fields

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if self.edits_birth_date:
            self.clean_birth_date_fields(cleaned)
            self._keep_an_unchanged_estimate(cleaned)
        return cleaned

    def _keep_an_unchanged_estimate(self, cleaned: dict[str, Any]) -> None:
        """An estimate read back as the same age keeps its stored date: saving other fields moves nothing."""
        person = self.person
        if (
            person is not None
            and person.birth_date is not None
            and person.birth_date_precision == BirthDatePrecision.ESTIMATED
            and cleaned.get("birth_date_precision") == BirthDatePrecision.ESTIMATED
            and birth_date_initial(person).get("age_estimate") == cleaned.get("age_estimate")
        ):
            cleaned["birth_date"] = person.birth_date

    def changes(self) -> dict[str, Any]:
        """The cleaned values in the shape `person_update` takes."""
        data = self.cleaned_data
        changes = {name: data[name] for name in self.fields if name in PERSON_FIELD_TIERS}
        if self.edits_birth_date:
            changes["birth_date"] = data["birth_date"]
            changes["birth_date_precision"] = data["birth_date_precision"]
        return changes


class AliasForm(StyledForm):
    name = text_field(_("Alias"), "given_names", required=True)


class CitizenshipForm(StyledForm):
    country = country_field(_("Citizenship"), required=True)


class LanguageForm(StyledForm):
    language = language_field(_("Language"), required=True)
    needs_interpreter = forms.BooleanField(label=_("Needs an interpreter in this language"), required=False)


class IdentityDocumentForm(StyledForm):
    type = forms.ChoiceField(label=_("Type of document"), choices=DocumentType.choices)
    number = forms.CharField(
        label=_("Number"), max_length=60, required=False, widget=forms.TextInput(attrs=dict(NO_AUTOFILL))
    )
    issuing_country = country_field(_("Issuing country"))
    held_by = forms.ChoiceField(label=_("Held by"), choices=DocumentHolder.choices)


class IdentityDocumentEditForm(IdentityDocumentForm):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
