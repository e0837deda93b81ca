"""What the areas' API modules share about values (they may not import each other): a year and month
field, API values posted to a web form as the form would have them, the referral the intake form makes
of them, and the worklists' filters by the case's form of exploitation, lead agency and child or adult."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from palermo.cases.filters import CHILD_CHOICES, CaseFacetFilter
from palermo.cases.forms_intake import IntakeForm, draft_querydict
from palermo.cases.reference import ExploitationForm
from palermo.cases.services.intake import Referral
from palermo.core.days import parse_month


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


class CaseFacetQuerySerializer(serializers.Serializer):
    """The worklists' filters in a query string (codes only, never personal data); a bad value is a 400."""

    exploitation = serializers.ChoiceField(
        choices=ExploitationForm.choices, required=False, help_text="A form of exploitation."
    )
    agency = serializers.IntegerField(required=False, min_value=1, help_text="The lead agency's id.")
    child = serializers.ChoiceField(
        choices=CHILD_CHOICES, required=False, help_text="yes: children's cases; no: adults'."
    )

    def case_ids(self) -> Any:
        """The cases the valid filters allow, as a subquery (None when none is set); an agency that does
        not exist is a 400 like any other bad value."""
        facets = CaseFacetFilter(dict(self.validated_data))
        if not facets.is_valid():
            raise serializers.ValidationError(
                {name: [str(message) for message in messages] for name, messages in facets.errors.items()}
            )
        return facets.case_ids()
