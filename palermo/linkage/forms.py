"""The review queue's decision form."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

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
