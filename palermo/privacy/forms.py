from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from palermo.core.forms import StyledForm, version_field
from palermo.privacy.services import HOLD_REASON_MAX


class HoldForm(StyledForm):
    reason = forms.CharField(
        label=_("Why must the data be kept?"),
        help_text=_("For example: criminal proceedings pending, a complaint under examination."),
        max_length=HOLD_REASON_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class ConfirmForm(StyledForm):
    """An irreversible action is confirmed by typing the case reference."""

    reference = forms.CharField(label=_("Type the case reference to confirm"), max_length=20)

    def __init__(self, *args: object, expected: str, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.expected = expected

    def clean_reference(self) -> str:
        reference = str(self.cleaned_data["reference"]).strip()
        if reference != self.expected:
            raise forms.ValidationError(_("This is not the case reference."), code="mismatch")
        return reference


class EraseForm(ConfirmForm):
    """Erasure, confirmed by the typed reference, at the version of the case the page showed: a case changed
    meanwhile (re-opened, say) is not erased."""

    version = version_field()
