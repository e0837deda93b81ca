"""What the areas' API modules share about values (they may not import each other): a year and month
field, API values posted to a web form as the form would have them, and the referral the intake form makes
of them."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from palermo.cases.forms_intake import IntakeForm, draft_querydict
from palermo.cases.services.exploitation_period import parse_month
from palermo.cases.services.intake import Referral


@extend_schema_field({"type": "string", "pattern": r"^\d{4}-\d{2}$", "example": "2019-03"})
class MonthField(serializers.Field):
    """A year and month, "YYYY-MM", read as the first day of the month."""

    def to_internal_value(self, data: Any) -> Any:
        if not isinstance(data, str) or len(data) > 7:
            raise serializers.ValidationError("A year and month, YYYY-MM.")
        try:
            return parse_month(data)
        except ValueError:
            raise serializers.ValidationError("A year and month, YYYY-MM.") from None

    def to_representation(self, value: Any) -> Any:
        return value.strftime("%Y-%m") if value else None


def as_form_data(validated: dict[str, Any]) -> dict[str, Any]:
    """API values as the web form posts them: texts, lists of texts, "on" for a ticked box."""
    data: dict[str, Any] = {}
    for name, value in validated.items():
        if value is None or value is False or value == "" or value == []:
            continue
        if value is True:
            data[name] = "on"
        elif isinstance(value, list):
            data[name] = [str(item) for item in value]
        else:
            data[name] = str(value)
    return data


def intake_referral(data: Mapping[str, Any]) -> Referral:
    """The referral the intake form makes of form data, checked as the web page checks it: the form's own
    messages, by field, and those about the whole referral as the error's message (400)."""
    form = IntakeForm(data=draft_querydict(data))
    if not form.is_valid():
        raise ValidationError(form.errors.as_data())
    return form.referral()
