"""Forms for recording and withdrawing consent on the case page."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from palermo.accounts.models import Agency
from palermo.cases.models import ConsentGiver, ConsentPurpose
from palermo.cases.services.consent import MAX_CHILD_VIEWS, MAX_SERVICE_NAME, MAX_WITHDRAWAL_NOTE
from palermo.core.forms import DateTimeInput, StyledForm, country_field, language_field, long_text_field


class ConsentForm(StyledForm):
    purpose = forms.ChoiceField(label=_("Consent to"), choices=ConsentPurpose.choices)
    recipient_agency = forms.ModelChoiceField(
        label=_("Agency"),
        queryset=Agency.objects.filter(is_active=True).order_by("name", "pk"),
        required=False,
        help_text=_("Needed for sharing with an agency; for a referral, the agency or the service below."),
    )
    recipient_service = forms.CharField(
        label=_("Named service"), max_length=MAX_SERVICE_NAME, required=False, help_text=_("For a referral.")
    )
    recipient_country = country_field(_("Country the data goes to"))
    given_by = forms.ChoiceField(
        label=_("Given by"),
        choices=ConsentGiver.choices,
        widget=forms.RadioSelect,
    )
    language = language_field(_("Language it was explained in"), required=True)
    given_at = forms.DateTimeField(
        label=_("Given on"),
        required=False,
        help_text=_("Leave empty for now."),
        widget=DateTimeInput,
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%d"],
    )

    child_views = long_text_field(
        _("The child's own views"),
        max_length=MAX_CHILD_VIEWS,
        required=False,
        help_text=_(
            "Needed when the temporary representative gives the consent. Shown only to those allowed to read "
            "the person's story on this case."
        ),
    )
    child_not_heard_reason = long_text_field(
        _("Or why the child was not heard"), max_length=MAX_CHILD_VIEWS, required=False, rows=2
    )

    def __init__(self, *args: Any, is_child: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        giver = self.fields["given_by"]
        assert isinstance(giver, forms.ChoiceField)  # noqa: S101  (declared above)
        if is_child:
            # A child's consent is the guardian's, or until one is appointed the temporary representative's.
            giver.choices = [(c.value, c.label) for c in (ConsentGiver.GUARDIAN, ConsentGiver.TEMPORARY)]
            giver.initial = ConsentGiver.GUARDIAN
        else:
            giver.choices = [(c.value, c.label) for c in (ConsentGiver.PERSON, ConsentGiver.GUARDIAN)]
            del self.fields["child_views"], self.fields["child_not_heard_reason"]


class WithdrawForm(StyledForm):
    note = long_text_field(
        _("Note on the withdrawal"),
        max_length=MAX_WITHDRAWAL_NOTE,
        required=False,
        rows=2,
        help_text=_("How and when the person said so. No names, please."),
    )
