"""The anonymous notification's form: closed lists and codes only, nothing that names or reaches anyone."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from palermo.cases.exploitation import exploitation_choices
from palermo.cases.models import AgeGroup
from palermo.cases.reference import Gender
from palermo.core.forms import MonthField, RegionField, StyledForm, country_field, language_field

YES_NO = [("yes", _("Yes")), ("no", _("No"))]


class NotificationForm(StyledForm):
    met_in = MonthField(label=_("Month the person was met"), required=True)
    gender = forms.ChoiceField(label=_("Gender"), choices=Gender.choices)
    age_group = forms.ChoiceField(
        label=_("Age band"),
        choices=AgeGroup.choices,
        help_text=_("A band, never a date of birth. A child is referred at once, without anyone's consent."),
    )
    nationality = country_field(_("Nationality"))
    exploitation_form = forms.ChoiceField(label=_("Form of exploitation"), required=False)
    exploitation_country = country_field(_("Country where the exploitation happened"))
    exploitation_region = RegionField(
        _("Region where it happened"),
        country="exploitation_country",
        blank=_("Not known"),
        help_text=_("A region of that country, never an address."),
    )
    exploitation_month = MonthField(label=_("Month of the exploitation"), required=False)
    rights_information_given = forms.ChoiceField(
        label=_("Was the information on the person's rights given?"), choices=YES_NO, widget=forms.RadioSelect
    )
    leaflet = forms.CharField(
        label=_("Which leaflet"),
        required=False,
        max_length=100,
        help_text=_("Its title or code. No names."),
    )
    leaflet_language = language_field(_("Language of the leaflet"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["exploitation_form"]
        assert isinstance(field, forms.ChoiceField)  # noqa: S101  (declared above)
        field.choices = [("", _("Not known")), *exploitation_choices()]

    def clean_rights_information_given(self) -> bool:
        return self.cleaned_data.get("rights_information_given") == "yes"
