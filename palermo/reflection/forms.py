"""Forms of the reflection section and of the non-removal look-up. Element ids are prefixed so that every
label on the case page points at its own control."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from palermo.core.form_ids import PrefixedIds
from palermo.core.forms import DateInput, StyledForm, long_text_field
from palermo.reflection.models import EntitlementStatus
from palermo.reflection.services.common import REASON_MAX_LENGTH
from palermo.reflection.services.lookup import MAX_QUERY_LENGTH, LookupQuery, clean_query
from palermo.reflection.services.periods import MAX_EXTENSION_DAYS


def _reason_field(label: Any) -> forms.CharField:
    return long_text_field(
        label,
        max_length=REASON_MAX_LENGTH,
        rows=2,
        help_text=_("Legal reasons: only those allowed to read identity on this case will see them."),
    )


class ExtendForm(PrefixedIds, StyledForm):
    ids = "id_reflection_extend_%s"
    days = forms.IntegerField(label=_("Days to add"), min_value=1, max_value=MAX_EXTENSION_DAYS)
    reason = _reason_field(_("Why the period is extended"))
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class EndEarlyForm(PrefixedIds, StyledForm):
    ids = "id_reflection_end_%s"
    on = forms.DateField(
        label=_("Last day of protection"),
        widget=DateInput,
        help_text=_("Today or a later day within the period."),
    )
    reason = _reason_field(_("Why the period ends early"))
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class EntitlementForm(StyledForm):
    status = forms.ChoiceField(label=_("Status"), choices=EntitlementStatus.choices)
    on = forms.DateField(
        label=_("On"),
        required=False,
        widget=DateInput,
        help_text=_("The day it was provided, declined or found not needed (default: today)."),
    )
    note = long_text_field(
        _("Note"),
        required=False,
        max_length=REASON_MAX_LENGTH,
        rows=2,
        help_text=_("The person's story: only those allowed to read it on this case will see it."),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    def __init__(self, *args: Any, kind: str, with_note: bool, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", f"id_entitlement_{kind}_%s")
        super().__init__(*args, **kwargs)
        if not with_note:
            del self.fields["note"]


class LookupForm(StyledForm):
    document_number = forms.CharField(
        label=_("Identity document number"), required=False, max_length=MAX_QUERY_LENGTH
    )
    name = forms.CharField(
        label=_("Full name"),
        required=False,
        max_length=MAX_QUERY_LENGTH,
        help_text=_(
            "With the date of birth, when no document number is known. In any script, any order; aliases and "
            "close spellings are searched too."
        ),
    )
    birth_date = forms.DateField(label=_("Date of birth"), required=False, widget=DateInput)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.errors:
            return data
        try:
            data["query"] = clean_query(
                LookupQuery(
                    document_number=data.get("document_number") or "",
                    name=data.get("name") or "",
                    birth_date=data.get("birth_date"),
                )
            )
        except ValidationError as error:
            raise ValidationError(error.messages) from None
        return data
