"""The referral form: only what a first contact can know, in sections a phone shows one under another.

The same form serves a draft (saved as typed, nothing required) and a submission (validated in full). A draft
stores the form's raw data (`draft_payload`) and is resumed by binding that data again (`IntakeForm.resumed`),
so whatever was typed comes back exactly, errors included.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django import forms
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from palermo.accounts.models import Agency
from palermo.cases.exploitation import exploitation_choices
from palermo.cases.forms_person import NO_AUTOFILL, BirthDateFieldsMixin, latin_name_fields, text_field
from palermo.cases.models import BirthDatePrecision, ConsentGiver
from palermo.cases.reference import ExploitationForm, Gender
from palermo.cases.services.intake import (
    MAX_CONTACT_DETAILS,
    ContactChannel,
    Referral,
    identification_agencies,
)
from palermo.core.forms import StyledForm, country_field, language_field

MAX_ALIASES = 20

# The form's sections, in order: (legend, fields). Templates render one fieldset per section.
SECTIONS: tuple[tuple[Any, tuple[str, ...]], ...] = (
    (
        _("Name"),
        ("given_names", "family_names", "given_names_latin", "family_names_latin", "aliases"),
    ),
    (
        _("Age and gender"),
        (
            "birth_year",
            "birth_month",
            "birth_day",
            "age_estimate",
            "age_uncertain",
            "believed_child",
            "gender",
        ),
    ),
    (
        _("Citizenship and languages"),
        ("citizenships", "primary_language", "primary_needs_interpreter", "other_languages"),
    ),
    (_("Contact and whereabouts"), ("phone", "current_location")),
    (
        _("The first contact"),
        ("contact_channel", "contact_details", "exploitation_forms"),
    ),
    (
        _("Referral and consent"),
        ("identification_agency", "consent_given", "consent_given_by", "consent_language"),
    ),
)


def offer_identification_agencies(form: forms.BaseForm, name: str) -> None:
    """The form's field `name` offers the identification authorities a referral goes to; the only one is
    preselected on a new form."""
    agencies = identification_agencies()
    field = form.fields[name]
    assert isinstance(field, forms.ModelChoiceField)  # noqa: S101  (declared by the form)
    field.queryset = agencies
    only = list(agencies[:2])
    if len(only) == 1 and not form.is_bound:
        field.initial = only[0].pk


class IntakeForm(StyledForm, BirthDateFieldsMixin):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1)

    given_names = text_field(
        _("Given names, as the person writes them"),
        "given_names",
        required=True,
        help_text=_("In the person's own script. If the name is not known, the name they use."),
    )
    family_names = text_field(_("Family names, as the person writes them"), "family_names")
    given_names_latin, family_names_latin = latin_name_fields()
    aliases = forms.CharField(
        label=_("Other names the person uses or used"),
        required=False,
        help_text=_("One per line."),
        widget=forms.Textarea(attrs={"rows": 2, **NO_AUTOFILL}),
    )
    age_uncertain = forms.BooleanField(label=_("The age is uncertain"), required=False)
    believed_child = forms.BooleanField(
        label=_("There are reasons to believe the person is a child"),
        required=False,
        help_text=_(
            "If the age is uncertain, the person is then treated as a child until an age assessment."
        ),
    )
    gender = forms.ChoiceField(label=_("Gender"), choices=Gender.choices)
    citizenships = country_field(_("Citizenships"), multiple=True)
    primary_language = language_field(_("The language the person speaks best"))
    primary_needs_interpreter = forms.BooleanField(
        label=_("An interpreter is needed in this language"), required=False
    )
    other_languages = language_field(_("Other languages the person speaks"), multiple=True)
    phone = text_field(_("Contact phone"), "phone", help_text=_("Only if it is safe to call."))
    current_location = text_field(
        _("Where the person is now"),
        "current_address",
        textarea=True,
        help_text=_("Shown only to those allowed to know where the person is."),
    )
    contact_channel = forms.ChoiceField(label=_("How the contact happened"), choices=ContactChannel.CHOICES)
    contact_details = forms.CharField(
        label=_("What happened at the first contact"),
        required=False,
        max_length=MAX_CONTACT_DETAILS,
        widget=forms.Textarea(attrs={"rows": 4, "autocomplete": "off"}),
        help_text=_("Kept as a note only those allowed to read the person's account can see."),
    )
    exploitation_forms = forms.MultipleChoiceField(
        label=_("Forms of exploitation suspected"),
        choices=ExploitationForm.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    identification_agency = forms.ModelChoiceField(
        label=_("Refer to the identification authority"),
        queryset=Agency.objects.none(),
        empty_label=_("Choose"),
    )
    consent_given = forms.BooleanField(
        label=_("Consent to the referral was given"),
        required=False,
        help_text=_(
            "Needed from an adult. A child is referred at once without anyone's consent: the referral is a "
            "protection duty."
        ),
    )
    consent_given_by = forms.ChoiceField(
        label=_("Consent given by"),
        choices=[(c.value, c.label) for c in (ConsentGiver.PERSON, ConsentGiver.GUARDIAN)],
        required=False,
        widget=forms.RadioSelect,
    )
    consent_language = language_field(_("Language the referral and consent were explained in"), required=True)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        forms_field = self.fields["exploitation_forms"]
        assert isinstance(forms_field, forms.MultipleChoiceField)  # noqa: S101  (declared above)
        forms_field.choices = exploitation_choices()  # only what the jurisdiction recognises
        offer_identification_agencies(self, "identification_agency")
        for name in self.fields:
            widget = self.fields[name].widget
            css = widget.attrs.get("class", "")
            if "form-control" in css:
                widget.attrs["class"] = f"{css} form-control-lg"
            elif "form-select" in css:
                widget.attrs["class"] = f"{css} form-select-lg"

    def initial_values(self) -> dict[str, Any]:
        """The answers the form starts with before anyone types."""
        return {name: field.initial for name, field in self.fields.items() if field.initial not in (None, "")}

    @classmethod
    def resumed(cls, data: Mapping[str, Any]) -> IntakeForm:
        """A form bound to a draft's saved data, as the responder left it."""
        return cls(data=draft_querydict(data))

    def sections(self) -> list[tuple[Any, list[forms.BoundField]]]:
        return [(legend, [self[name] for name in names if name in self.fields]) for legend, names in SECTIONS]

    def clean_aliases(self) -> list[str]:
        lines = [line.strip() for line in self.cleaned_data.get("aliases", "").splitlines() if line.strip()]
        if len(lines) > MAX_ALIASES:
            raise forms.ValidationError(_("At most %(limit)d other names.") % {"limit": MAX_ALIASES})
        if any(len(line) > 200 for line in lines):
            raise forms.ValidationError(_("Each name holds at most 200 characters."))
        return lines

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        self.clean_birth_date_fields(cleaned)
        if cleaned.get("consent_given") and not cleaned.get("consent_given_by"):
            self.add_error("consent_given_by", _("Say who gave the consent."))
        # Whether consent is needed at all (an adult's referral) is the service's to say: it knows the age.
        return cleaned

    def referral(self) -> Referral:
        data = self.cleaned_data
        languages: list[tuple[str, bool]] = []
        if data.get("primary_language"):
            languages.append((data["primary_language"], bool(data.get("primary_needs_interpreter"))))
        languages += [
            (code, False) for code in data.get("other_languages", []) if code != data.get("primary_language")
        ]
        return Referral(
            given_names=data["given_names"],
            family_names=data.get("family_names", ""),
            given_names_latin=data.get("given_names_latin", ""),
            family_names_latin=data.get("family_names_latin", ""),
            aliases=data.get("aliases", []),
            birth_date=data.get("birth_date"),
            birth_date_precision=data.get("birth_date_precision", "exact"),
            age_uncertain=bool(data.get("age_uncertain")),
            believed_child=bool(data.get("believed_child")),
            gender=data.get("gender") or Gender.UNKNOWN,
            citizenships=list(data.get("citizenships", [])),
            languages=languages,
            phone=data.get("phone", ""),
            current_location=data.get("current_location", ""),
            contact_channel=data["contact_channel"],
            contact_details=data.get("contact_details", ""),
            exploitation_forms=list(data.get("exploitation_forms", [])),
            identification_agency=data["identification_agency"],
            consent_given=bool(data.get("consent_given")),
            consent_given_by=data.get("consent_given_by") or ConsentGiver.PERSON,
            consent_language=data["consent_language"],
        )


MULTIPLE_FIELDS = frozenset({"citizenships", "other_languages", "exploitation_forms"})
DRAFT_FIELDS = tuple(name for name in IntakeForm.base_fields if name != "version")


def draft_payload(data: QueryDict | Mapping[str, Any]) -> dict[str, Any]:
    """The part of posted data a draft keeps: the form's own fields, as typed (lists for multiple choices).
    An answer the form chose itself (the only identification authority) is not the responder's: a form
    left as it came holds nothing to save."""
    payload: dict[str, Any] = {}
    chosen_by_form = {name: str(value) for name, value in IntakeForm().initial_values().items()}
    for name in DRAFT_FIELDS:
        if name in MULTIPLE_FIELDS:
            values = data.getlist(name) if isinstance(data, QueryDict) else data.get(name, [])
            if values:
                payload[name] = list(values) if isinstance(values, list | tuple) else [str(values)]
        elif name in data:
            value = data.get(name)
            if value not in (None, "") and str(value) != chosen_by_form.get(name):
                payload[name] = value
    return payload


def draft_querydict(data: Mapping[str, Any]) -> QueryDict:
    """A draft's saved data as posted form data again."""
    query = QueryDict(mutable=True)
    for name, value in data.items():
        if name not in DRAFT_FIELDS:
            continue
        if isinstance(value, list):
            query.setlist(name, [str(item) for item in value])
        else:
            query[name] = str(value)
    return query


class DuplicateCheckForm(StyledForm, BirthDateFieldsMixin):
    """The names and birth date of a referral being written, for the warning of a possible existing record."""

    given_names = forms.CharField(required=False, max_length=200)
    family_names = forms.CharField(required=False, max_length=200)
    given_names_latin = forms.CharField(required=False, max_length=200)
    family_names_latin = forms.CharField(required=False, max_length=200)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        self.clean_birth_date_fields(cleaned)
        return cleaned

    def names(self) -> list[str]:
        data = self.cleaned_data
        full = [
            f"{data.get('given_names', '')} {data.get('family_names', '')}",
            f"{data.get('given_names_latin', '')} {data.get('family_names_latin', '')}",
        ]
        return [name.strip() for name in full if name.strip()]

    def birth_date(self) -> Any:
        """The birth date to match: an estimate from "about N years old" matches nothing exactly."""
        if self.cleaned_data.get("birth_date_precision") == BirthDatePrecision.ESTIMATED:
            return None
        return self.cleaned_data.get("birth_date")
