"""The release form: what a recorded release covers and how it is protected."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from palermo.core.forms import DateInput, FilterForm, StyledForm
from palermo.statistics.law import rulebook_choices
from palermo.statistics.models import Mechanism
from palermo.statistics.registry import REGISTRY, tables_of


def table_choices() -> list[tuple[str, str]]:
    choices = []
    for table in tables_of():
        population = REGISTRY.populations[table.population]
        dimension = REGISTRY.dimensions[table.dimension]
        choices.append((table.key, str(table.title or f"{population.label} — {dimension.label}")))
    return choices


class ReleaseForm(StyledForm):
    title = forms.CharField(label=_("Title"), max_length=200)
    snapshot = forms.DateField(
        label=_("Data as of the end of"),
        help_text=_("Write the date as YYYY-MM-DD."),
        widget=DateInput,
    )
    tables = forms.MultipleChoiceField(
        label=_("Tables"), choices=table_choices, widget=forms.CheckboxSelectMultiple
    )
    mechanism = forms.ChoiceField(label=_("Method"), choices=Mechanism.choices, initial=Mechanism.NONE)
    epsilon = forms.FloatField(
        label=_("Privacy loss to spend (epsilon)"),
        required=False,
        min_value=0.01,
        max_value=50,
        help_text=_("Only for differential privacy; counted against each year's budget."),
    )
    delta = forms.FloatField(
        label=_("Delta"),
        required=False,
        min_value=1e-12,
        max_value=0.1,
        help_text=_("Only for Gaussian noise, e.g. 0.000001."),
    )
    years = forms.CharField(
        label=_("Years covered"),
        required=False,
        max_length=200,
        help_text=_("Only for differential privacy: the years, separated by commas, e.g. 2024, 2025."),
    )
    confirm = forms.BooleanField(
        label=_("I have checked the tables and the method: publishing is recorded and cannot be undone."),
    )

    def clean_years(self) -> tuple[int, ...]:
        text = self.cleaned_data.get("years") or ""
        parts = [part.strip() for part in text.replace(";", ",").split(",") if part.strip()]
        if not all(part.isdigit() and 1900 < int(part) < 2200 for part in parts):
            raise forms.ValidationError(_("Write the years as four-digit numbers separated by commas."))
        return tuple(sorted({int(part) for part in parts}))

    def parameters(self, threshold: int) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "snapshot": data["snapshot"],
            "tables": tuple(data["tables"]),
            "threshold": threshold,
            "mechanism": data["mechanism"],
            "epsilon": data.get("epsilon"),
            "delta": data.get("delta"),
            "years": data.get("years") or (),
        }


class EurostatForm(StyledForm):
    year = forms.IntegerField(label=_("Year of registration"), min_value=1990, max_value=2199)
    snapshot = forms.DateField(
        label=_("Data as of the end of"),
        help_text=_("Write the date as YYYY-MM-DD. Leave it empty for today."),
        required=False,
        widget=DateInput,
    )


class LawForm(FilterForm):
    rulebook = forms.ChoiceField(
        label=_("Rulebook"),
        choices=rulebook_choices,
        help_text=_("The one in force here, or another to compare with the paper."),
    )
