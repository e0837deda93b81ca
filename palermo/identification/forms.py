"""Identification forms. Labels and help are translatable; indicator texts are the instrument's own words."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from palermo.core.forms import StyledForm
from palermo.identification.models import (
    AnswerChoice,
    Dimension,
    Indicator,
    InformationSource,
    Instrument,
    ScreeningAnswer,
)
from palermo.identification.services.screenings import NOTE_MAX_LENGTH, AnswerInput


class ScreeningStartForm(StyledForm):
    instrument = forms.ModelChoiceField(label=_("Indicator list"), queryset=Instrument.objects.none())
    rule = forms.ChoiceField(
        label=_("Rule"),
        choices=[
            ("adult", _("Adult: recruitment, exploitation and coercion at destination")),
            ("child", _("Child: recruitment and exploitation; means are not required")),
        ],
        widget=forms.RadioSelect,
        help_text=_("The child rule is preselected while the case is treated as a child's."),
    )

    def __init__(self, *args: Any, instruments: Any, child: bool, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"rule": "child" if child else "adult"})
        super().__init__(*args, **kwargs)
        self.fields["instrument"].queryset = instruments  # type: ignore[attr-defined]


@dataclass
class IndicatorFields:
    indicator: Indicator
    answer: forms.BoundField
    note: forms.BoundField
    source: forms.BoundField


@dataclass
class DimensionFields:
    dimension: Dimension
    indicators: list[IndicatorFields]


class ScreeningAnswersForm(StyledForm):
    """One radio group (yes / no / unknown), a note and a source per indicator, grouped by dimension. Only the
    indicators of the screening's list are offered: for a child, those with a child weight."""

    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(
        self,
        *args: Any,
        dimensions: list[Dimension],
        child: bool,
        answers: dict[int, ScreeningAnswer],
        **kwargs: Any,
    ) -> None:
        initial = kwargs.setdefault("initial", {})
        self.layout: list[tuple[Dimension, list[Indicator]]] = []
        for dimension in dimensions:
            shown = [i for i in dimension.indicators.all() if not child or i.child_weight]
            self.layout.append((dimension, shown))
            for indicator in shown:
                saved = answers.get(indicator.pk)
                if saved is not None:
                    initial[f"answer_{indicator.pk}"] = saved.answer
                    initial[f"note_{indicator.pk}"] = saved.note
                    initial[f"source_{indicator.pk}"] = saved.source
        super().__init__(*args, **kwargs)
        for _dimension, shown in self.layout:
            for indicator in shown:
                self._add_indicator(indicator)

    def _add_indicator(self, indicator: Indicator) -> None:
        self.fields[f"answer_{indicator.pk}"] = forms.ChoiceField(
            label=indicator.text, choices=AnswerChoice.choices, widget=forms.RadioSelect, required=False
        )
        self.fields[f"note_{indicator.pk}"] = forms.CharField(
            label=_("Note"),
            required=False,
            max_length=NOTE_MAX_LENGTH,
            widget=forms.Textarea(attrs={"rows": 1}),
        )
        self.fields[f"source_{indicator.pk}"] = forms.ChoiceField(
            label=_("Source of the information"),
            choices=[("", _("Not said")), *InformationSource.choices],
            required=False,
        )

    def grouped(self) -> list[DimensionFields]:
        return [
            DimensionFields(
                dimension,
                [
                    IndicatorFields(
                        indicator,
                        self[f"answer_{indicator.pk}"],
                        self[f"note_{indicator.pk}"],
                        self[f"source_{indicator.pk}"],
                    )
                    for indicator in shown
                ],
            )
            for dimension, shown in self.layout
        ]

    def answer_inputs(self) -> list[AnswerInput]:
        """The indicators given an answer; an indicator left blank is not saved (it counts as unknown)."""
        data = self.cleaned_data
        return [
            AnswerInput(
                indicator.pk,
                data[f"answer_{indicator.pk}"],
                data.get(f"note_{indicator.pk}", ""),
                data.get(f"source_{indicator.pk}", ""),
            )
            for _dimension, shown in self.layout
            for indicator in shown
            if data.get(f"answer_{indicator.pk}")
        ]
