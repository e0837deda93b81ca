"""Forms of the access screens: emergency access, and changes to a case team."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from palermo.access.services import BREAK_GLASS_REASON_MIN, REASON_MAX
from palermo.accounts.models import Agency, User
from palermo.core.forms import StyledForm, long_text_field


class BreakGlassForm(StyledForm):
    reference = forms.CharField(
        label=_("Case reference"),
        max_length=30,
        help_text=_("As written on the case, for example NRM-1A2B-3C4D."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    reason = long_text_field(
        _("Reason for emergency access"),
        min_length=BREAK_GLASS_REASON_MIN,
        max_length=REASON_MAX,
        rows=4,
        help_text=_(
            "What the emergency is and why it cannot wait for the case team. Do not write anyone's name: "
            "the reason is shown to the data protection officer who reviews this access."
        ),
    )

    def clean_reference(self) -> str:
        return self.cleaned_data["reference"].strip().upper()


class TeamAddForm(StyledForm):
    agency = forms.ModelChoiceField(
        label=_("Agency"), queryset=Agency.objects.filter(is_active=True).order_by("name")
    )
    person = forms.ModelChoiceField(
        label=_("Only this person"),
        queryset=User.objects.none(),
        required=False,
        empty_label=_("No one: the whole agency"),
        help_text=_(
            "Leave empty to put the whole agency on the team. Name a person, even one whose whole agency is "
            "on the team, to make the case theirs: its deadlines go on their own list."
        ),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Colleagues by name, never by sign-in name: everyone active in an active agency.
        field = self.fields["person"]
        field.queryset = (  # type: ignore[attr-defined]
            User.objects.filter(
                is_active=True, memberships__is_active=True, memberships__agency__is_active=True
            )
            .distinct()
            .order_by("last_name", "first_name", "pk")
        )
        field.label_from_instance = lambda user: user.display_name  # type: ignore[attr-defined]

    reason = forms.CharField(label=_("Reason"), max_length=REASON_MAX)


class TeamRemoveForm(StyledForm):
    entry = forms.IntegerField(widget=forms.HiddenInput)
    reason = forms.CharField(label=_("Reason for removal"), max_length=REASON_MAX)
