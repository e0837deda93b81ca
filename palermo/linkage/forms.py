"""The review queue's decision form, and the forms of the partner NRMs' registration."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from palermo.core import iso
from palermo.core.forms import StyledForm

DECISIONS = [
    ("same", _("The same person: merge the two records")),
    ("different", _("Different persons: take the pair off the queue")),
]


class DecisionForm(StyledForm):
    decision = forms.ChoiceField(
        label=_("Are these the same person?"), choices=DECISIONS, widget=forms.RadioSelect
    )
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


# --- partner NRMs (docs/decisions/0053) -------------------------------------------------------------------


def _secret_field() -> forms.CharField:
    """An agreed secret, typed once and never shown back (a password input, not re-rendered on an error)."""
    return forms.CharField(
        label=_("Shared secret agreed with the partner (optional)"),
        required=False,
        max_length=100,
        strip=True,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "off", "spellcheck": "false"}),
        help_text=_(
            "Leave empty to have a new secret made here: it is shown once, for you to give to the partner by "
            "a secure channel. Enter one only if the partner made it and gave it to you."
        ),
    )


class PartnerRegisterForm(StyledForm):
    name = forms.CharField(label=_("Name of the partner NRM"), max_length=120)
    country = forms.ChoiceField(label=_("Country"), choices=lambda: [("", "—"), *iso.country_choices()])
    contact = forms.CharField(
        label=_("Contact for formal requests"),
        max_length=300,
        help_text=_("Whom our staff contact at the partner, through the transnational referral."),
    )
    url = forms.URLField(
        label=_("Address of the partner's question endpoint (optional)"),
        required=False,
        max_length=200,
        assume_scheme="https",
        help_text=_("Where our questions go, starting with https://."),
    )
    secret = _secret_field()


class PartnerRotateForm(StyledForm):
    secret = _secret_field()
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class PartnerDeactivateForm(StyledForm):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
