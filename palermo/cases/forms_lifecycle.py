"""Forms of the lifecycle section on the case page: a transition (with closure's reason) and the case's
forms of exploitation."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from palermo.cases.exploitation import exploitation_choices
from palermo.cases.lifecycle import Transition
from palermo.cases.reference import ClosureReason, ExploitationForm
from palermo.core.form_ids import PrefixedIds
from palermo.core.forms import StyledForm, checkboxes, long_text_field, optional_choice


class TransitionForm(PrefixedIds, StyledForm):
    ids = "id_transition_%s"  # ids unique on the case page, names unchanged
    transition = forms.ChoiceField(label=_("Change"))
    closure_reason = optional_choice(
        _("Why the case is closed"), ClosureReason.choices, help_text=_("Needed when closing the case.")
    )
    reason = long_text_field(
        _("Reason"),
        max_length=2000,
        required=False,
        rows=2,
        help_text=_("Needed when closing or re-opening. Recorded in the audit log; no names, please."),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    def __init__(self, *args: Any, transitions: list[Transition], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["transition"]
        assert isinstance(field, forms.ChoiceField)  # noqa: S101  (declared just above)
        field.choices = [(t.name, t.label) for t in transitions]


class ExploitationEditForm(PrefixedIds, StyledForm):
    ids = "id_exploitation_%s"
    exploitation_forms = checkboxes(_("Forms of exploitation"), ExploitationForm.choices)
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    def __init__(self, *args: Any, recorded: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["exploitation_forms"]
        assert isinstance(field, forms.MultipleChoiceField)  # noqa: S101  (declared just above)
        field.choices = exploitation_choices(keep=recorded)  # the rulebook's forms, and those on record
