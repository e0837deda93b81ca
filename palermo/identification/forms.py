"""Identification forms. Labels and help are translatable; indicator texts are the instrument's own words."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from palermo.cases.services.exploitation_period import (
    control_choices,
    relationship_choices,
    sector_choices,
)
from palermo.core.decisions import CHILD_VIEWS_FIELDS
from palermo.core.forms import ChildViewsFields, DateInput, MonthField, StyledForm, checkboxes
from palermo.core.iso import country_name_choices
from palermo.identification.models import (
    Act,
    AgeConclusion,
    AgeMethod,
    AnswerChoice,
    DecisionKind,
    DecisionOutcome,
    DecisionProcedure,
    Dimension,
    ExploitationType,
    Ground,
    Indicator,
    InformationSource,
    Instrument,
    Means,
    Purpose,
    Screening,
    ScreeningAnswer,
    Situation,
)
from palermo.identification.presenting import sentence_case
from palermo.identification.services.screenings import NOTE_MAX_LENGTH, AnswerInput

INSTRUMENT_FILE_LIMIT = 1024 * 1024


class InstrumentForm(StyledForm):
    """An indicator list to install: who wrote it and for which form of exploitation, and its CSV file."""

    name = forms.CharField(
        label=_("Name"),
        max_length=Instrument._meta.get_field("name").max_length,
        help_text=_("Short, without spaces, for example national-2026-sexual."),
    )
    version = forms.CharField(
        label=_("Version"),
        max_length=Instrument._meta.get_field("version").max_length,
        help_text=_(
            "A changed list is installed again under a new version; a screening keeps the one it used."
        ),
    )
    source = forms.CharField(
        label=_("Source"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Who published the list, and where: a reader of a screening checks it there."),
    )
    exploitation_type = forms.ChoiceField(label=_("Form of exploitation"), choices=ExploitationType.choices)
    file = forms.FileField(
        label=_("File"),
        help_text=_(
            "CSV, UTF-8, at most 1 MB, with the columns dimension, indicator, strength_adult, strength_child."
        ),
    )

    def clean_file(self) -> Any:
        sent = self.cleaned_data["file"]
        if sent.size > INSTRUMENT_FILE_LIMIT:
            raise forms.ValidationError(_("The file is larger than 1 MB."))
        return sent


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
        self.fields["instrument"].label_from_instance = lambda instrument: instrument.title  # type: ignore[attr-defined]


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
            label=sentence_case(indicator.text),
            choices=AnswerChoice.choices,
            widget=forms.RadioSelect,
            required=False,
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


class ScreeningCompleteForm(StyledForm):
    """Completing a screening from its check-your-answers page, at the version read; with many indicators
    unanswered, the second press says that is known (`unanswered_confirmed`)."""

    version = forms.IntegerField(widget=forms.HiddenInput)
    unanswered_confirmed = forms.BooleanField(required=False, widget=forms.HiddenInput)


class LegalElementsForm(StyledForm):
    acts = checkboxes(_("Act"), Act.choices)
    means = checkboxes(
        _("Means"), Means.choices, help_text=_("Not required for a child: act and purpose are enough.")
    )
    purposes = checkboxes(_("Purpose of exploitation"), Purpose.choices)
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


NOT_RECORDED = ("", _("Not recorded"))


class ExploitationPeriodForm(StyledForm):
    """When the exploitation began and ended, to the month: the start month settles which age counts."""

    exploitation_began = MonthField(
        label=_("Month the exploitation began"),
        required=True,
        help_text=_("The age then decides whether the child rules apply."),
    )
    exploitation_ended = MonthField(
        label=_("Month it ended"), required=False, help_text=_("Leave empty if it goes on or is not known.")
    )
    exploitation_country = forms.ChoiceField(
        label=_("Country of exploitation"),
        required=False,
        choices=lambda: [NOT_RECORDED, *country_name_choices()],
    )
    exploitation_sector = forms.ChoiceField(
        label=_("Sector of exploitation"), required=False, choices=lambda: [NOT_RECORDED, *sector_choices()]
    )
    means_of_control = forms.MultipleChoiceField(
        label=_("Means of control"),
        required=False,
        choices=control_choices,
        widget=forms.CheckboxSelectMultiple,
    )
    recruiter_relationship = forms.ChoiceField(
        label=_("Relationship to the recruiter"),
        required=False,
        choices=lambda: [NOT_RECORDED, *relationship_choices()],
    )
    version = forms.IntegerField(widget=forms.HiddenInput)


class DifferentiationForm(StyledForm):
    situation = forms.ChoiceField(label=_("Situation"), choices=Situation.choices, widget=forms.RadioSelect)
    reasons = forms.CharField(label=_("Reasons"), widget=forms.Textarea(attrs={"rows": 3}))


class AgeAssessmentForm(StyledForm):
    method = forms.ChoiceField(label=_("Method"), choices=AgeMethod.choices)
    conclusion = forms.ChoiceField(
        label=_("Conclusion"), choices=AgeConclusion.choices, widget=forms.RadioSelect
    )
    assessed_on = forms.DateField(label=_("Date of the assessment"), widget=DateInput)
    assessor = forms.CharField(label=_("Assessor"), max_length=200, help_text=_("The professional or body."))
    findings = forms.CharField(label=_("Findings"), required=False, widget=forms.Textarea(attrs={"rows": 3}))


class ChildViewsForm(ChildViewsFields, StyledForm):
    """On a child's case, a decision records the child's views or why the child was not heard
    (palermo.core.decisions); on an adult's case the fields are not shown."""

    def __init__(self, *args: Any, is_child: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.is_child = is_child
        if is_child:
            self.add_child_views_fields()

    def child_fields(self) -> list[Any]:
        return [self[name] for name in CHILD_VIEWS_FIELDS if name in self.fields]


class OutcomeForm(ChildViewsForm):
    """What a decision and a review decision say alike. There is no ground or box for the person's
    cooperation with the authorities: no decision depends on it, and reasons stating it as a condition are
    refused."""

    outcome = forms.ChoiceField(label=_("Outcome"), choices=DecisionOutcome.choices, widget=forms.RadioSelect)
    grounds = forms.MultipleChoiceField(
        label=_("Grounds"), choices=Ground.choices, widget=forms.CheckboxSelectMultiple
    )
    reasons = forms.CharField(
        label=_("Reasons"),
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Never conditional on the person's cooperation with the authorities."),
    )


class DecisionForm(OutcomeForm):
    """The decision maker's form."""

    field_order = ["kind"]  # before the outcome
    kind = forms.ChoiceField(label=_("Decision"), choices=DecisionKind.choices, widget=forms.RadioSelect)
    screening = forms.ModelChoiceField(
        label=_("Screening considered"), queryset=Screening.objects.none(), required=False
    )

    def __init__(self, *args: Any, kinds: list[str], screenings: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        kind = self.fields["kind"]
        kind.choices = [c for c in DecisionKind.choices if c[0] in kinds]  # type: ignore[attr-defined]
        if len(kinds) == 1:
            kind.initial = kinds[0]
        self.fields["screening"].queryset = screenings  # type: ignore[attr-defined]
        self.fields["screening"].label_from_instance = _screening_label  # type: ignore[attr-defined]


REVIEW_PROCEDURES = [c for c in DecisionProcedure.choices if c[0] != DecisionProcedure.FIRST]


def _procedure() -> forms.ChoiceField:
    return forms.ChoiceField(label=_("Procedure"), choices=REVIEW_PROCEDURES, widget=forms.RadioSelect)


def _requested_on(help_text: Any) -> forms.DateField:
    """The day a review was requested, which it is due from."""
    return forms.DateField(
        label=_("Requested on"),
        required=False,
        widget=DateInput,
        help_text=help_text,
    )


class ReviewRequestForm(StyledForm):
    """A request for reconsideration or appeal, received on a day: the review is due from then."""

    procedure = _procedure()
    requested_on = _requested_on(_("Default: today."))


class ReviewForm(OutcomeForm):
    field_order = ["procedure", "requested_on"]  # before the outcome
    procedure = _procedure()
    requested_on = _requested_on(
        _("The day the review was requested; default: today. The review is due from then.")
    )

    def __init__(self, *args: Any, requested: Any = None, **kwargs: Any) -> None:
        """`requested`: the open request this review answers; its procedure and day are then given."""
        super().__init__(*args, **kwargs)
        if requested is not None:
            del self.fields["requested_on"]
            self.fields["procedure"].initial = requested.procedure


def _screening_label(screening: Screening) -> str:
    done = date_format(timezone.localdate(screening.completed_at)) if screening.completed_at else ""
    return f"{screening.instrument.name} · {done}"
