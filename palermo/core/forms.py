"""Shared form behaviour: Bootstrap classes on every widget, so templates stay free of widget tweaks."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any, cast

from django import forms
from django.urls import reverse
from django.utils.dates import MONTHS
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from palermo.core import iso
from palermo.core.days import parse_month
from palermo.core.decisions import CHILD_VIEWS_FIELDS, child_views_problems

# What a date or date-and-time input holds, whatever the page's language: the browser shows it in the reader's
# words, but takes and gives only this (a French "05/01/2026" would be dropped, and the field shown empty).
ISO_DAY = "%Y-%m-%d"
ISO_MINUTE = "%Y-%m-%dT%H:%M"


class DateInput(forms.DateInput):
    """The browser's date picker."""

    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs, format=ISO_DAY)


class DateTimeInput(forms.DateTimeInput):
    """The browser's date and time picker (to the minute)."""

    input_type = "datetime-local"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs, format=ISO_MINUTE)


def day_field(label: Any, **kwargs: Any) -> forms.DateField:
    return forms.DateField(label=label, widget=DateInput, **kwargs)


def version_field(**options: Any) -> forms.IntegerField:
    """The version of the record the form was read at, sent back with the change so a stale one is refused
    (hidden; within the database's integer range)."""
    return forms.IntegerField(widget=forms.HiddenInput, min_value=1, max_value=2**31 - 1, **options)


def long_text_field(
    label: Any, *, max_length: int, required: bool = True, help_text: Any = "", rows: int = 3, **options: Any
) -> forms.CharField:
    """A text of a few lines (by default three rows shown)."""
    return forms.CharField(
        label=label,
        required=required,
        max_length=max_length,
        widget=forms.Textarea(attrs={"rows": rows}),
        help_text=help_text,
        **options,
    )


def optional_choice(label: Any, choices: Any, **options: Any) -> forms.ChoiceField:
    """A choice that may be left out: a dash stands first for "none"."""
    return forms.ChoiceField(label=label, choices=[("", "—"), *choices], required=False, **options)


def checkboxes(
    label: Any, choices: Any, *, required: bool = False, help_text: Any = ""
) -> forms.MultipleChoiceField:
    """A choice of several among a few, one box each (by default none needed)."""
    return forms.MultipleChoiceField(
        label=label,
        choices=choices,
        widget=forms.CheckboxSelectMultiple,
        required=required,
        help_text=help_text,
    )


def _bootstrap_class(widget: forms.Widget) -> str:
    if isinstance(widget, forms.MultiWidget):
        return ""  # each part keeps its own class (a class on the whole would override theirs)
    if isinstance(widget, forms.CheckboxInput | forms.RadioSelect | forms.CheckboxSelectMultiple):
        return "form-check-input"
    if isinstance(widget, forms.Select):
        return "form-select"
    return "form-control"


_CHOOSING = (forms.Select, forms.RadioSelect, forms.CheckboxSelectMultiple, forms.CheckboxInput)


def required_message(field: forms.Field, name: str) -> str:
    """A missing answer in the project's words, naming the question (GOV.UK: "Enter ...", "Choose ...")."""
    label = str(field.label or name.replace("_", " ").capitalize())
    if isinstance(field, forms.FileField):
        return gettext("Choose a file for “%(label)s”.") % {"label": label}
    if isinstance(field.widget, _CHOOSING):
        return gettext("Choose an answer to “%(label)s”.") % {"label": label}
    return gettext("Enter “%(label)s”.") % {"label": label}


def invalid_choice_message(field: forms.Field, name: str) -> str:
    """An answer not among the field's choices (a page that changed meanwhile, an edited address), in the
    project's words rather than Django's "Select a valid choice", and without repeating what was sent."""
    label = str(field.label or name.replace("_", " ").capitalize())
    return gettext("Choose “%(label)s” from the list.") % {"label": label}


def _django_invalid_choice_messages() -> set[str]:
    """Django's own invalid-choice messages, in the language of the request."""
    kinds = (
        forms.ChoiceField,
        forms.MultipleChoiceField,
        forms.ModelChoiceField,
        forms.ModelMultipleChoiceField,
    )
    return {str(kind.default_error_messages["invalid_choice"]) for kind in kinds}


def _choices(field: forms.ChoiceField) -> list[tuple[Any, Any]]:
    """The field's choices as pairs (Django normalises them on assignment, callables included)."""
    return list(cast("Iterable[tuple[Any, Any]]", field.choices))


def _choice_values(field: forms.ChoiceField) -> list[Any]:
    values: list[Any] = []
    for value, label in _choices(field):
        if isinstance(label, list | tuple):  # a group of choices
            values += [inner for inner, _label in label]
        else:
            values.append(value)
    return values


def no_preselected_choice(field: forms.Field) -> None:
    """No answer is chosen for the person unless it is the only one: a choice's declared default (a model
    field's default included) is dropped, and a single choice list gets an empty first option, so that the
    browser does not pick the first choice either. A question left unanswered then gets the required-choice
    error. Values the form was given for a record being edited (the form's `initial`) are not touched."""
    if not isinstance(field, forms.ChoiceField) or isinstance(field, forms.ModelChoiceField):
        return
    if isinstance(field, forms.MultipleChoiceField):
        return
    values = _choice_values(field)
    answers = [value for value in values if value not in ("", None)]
    if len(answers) > 1:
        field.initial = None
    if isinstance(field.widget, forms.Select) and "" not in values and len(answers) > 1:
        field.choices = [("", gettext("Choose")), *_choices(field)]


DJANGO_BLANK_LABEL = "---------"  # Django's and django-filter's label for "no choice", a framework default


def plain_blank_choice(field: forms.Field, label: str) -> None:
    """The empty choice of a list in words ("Choose", or "Any" in a form of filters) instead of Django's
    dashes: a model choice's empty label, or the blank choice a model form puts before a field's choices."""
    if hasattr(field, "empty_label"):  # a model choice, or a django-filter choice: the label is its own
        if field.empty_label == DJANGO_BLANK_LABEL:
            field.empty_label = label
            # The widget's choices may still read the declared field's label (django-filter's copy of the
            # field leaves them bound to it): give it this field's own.
            field.widget.choices = field.choices  # type: ignore[attr-defined]
        return
    if not isinstance(field, forms.ChoiceField) or isinstance(field, forms.MultipleChoiceField):
        return
    # Django puts its blank choice first: a long list (countries, languages) is not read through for it.
    first = next(iter(cast("Iterable[tuple[Any, Any]]", field.choices)), None)
    if first is not None and first[0] == "" and str(first[1]) == DJANGO_BLANK_LABEL:
        field.choices = [("", label), *_choices(field)[1:]]


# A choice among this many answers or more (countries, languages) is typed into an accessible type-ahead
# (app.js, the GOV.UK accessible-autocomplete); without JavaScript it stays a list.
TYPE_AHEAD_FROM = 40


def type_ahead(field: forms.Field) -> None:
    if not isinstance(field, forms.ChoiceField) or isinstance(field, forms.ModelChoiceField):
        return
    if isinstance(field.widget, forms.Select) and len(_choice_values(field)) >= TYPE_AHEAD_FROM:
        multiple = isinstance(field.widget, forms.SelectMultiple)
        field.widget.attrs["data-type-ahead"] = "multiple" if multiple else "single"


class StyledFormMixin:
    """Adds Bootstrap's control class to each widget; `aria-invalid` is set by Django on bound errors. A
    required field left empty says which answer is missing instead of Django's "This field is required."
    (a field with its own message keeps it; set when the form is checked, so that fields added or made
    required after construction are covered too)."""

    fields: dict[str, forms.Field]
    # A form of filters: every question is optional (no label says "(optional)", core/field.html) and a
    # filter may well start from a choice (mine, any kind).
    is_filter = False

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[call-arg]
        blank = gettext("Any") if self.is_filter else gettext("Choose")
        list_regions_of_countries(cast("forms.BaseForm", self))
        for field in self.fields.values():
            if not self.is_filter:
                no_preselected_choice(field)
            plain_blank_choice(field, blank)
            type_ahead(field)
            css = field.widget.attrs.get("class", "")
            wanted = _bootstrap_class(field.widget)
            if wanted and wanted not in css.split():
                field.widget.attrs["class"] = f"{css} {wanted}".strip()

    def full_clean(self) -> None:
        default_required = str(forms.Field.default_error_messages["required"])
        django_invalid_choice = _django_invalid_choice_messages()
        for name, field in self.fields.items():
            if field.required and str(field.error_messages.get("required", "")) == default_required:
                field.error_messages = {**field.error_messages, "required": required_message(field, name)}
            if str(field.error_messages.get("invalid_choice", "")) in django_invalid_choice:
                field.error_messages = {
                    **field.error_messages,
                    "invalid_choice": invalid_choice_message(field, name),
                }
        super().full_clean()  # type: ignore[misc]


class StyledForm(StyledFormMixin, forms.Form):
    pass


class StyledModelForm(StyledFormMixin, forms.ModelForm):
    pass


class FilterForm(StyledForm):
    """The form of a list's filters."""

    is_filter = True


class ChildViewsFields:
    """The child's views on a decision concerning a child (palermo.core.decisions): the four fields, which
    a form adds with `add_child_views_fields` on a child's case, and their checks on clean. An area sets the
    texts' help and length limit to match its other narrative fields."""

    fields: dict[str, forms.Field]
    is_child: bool = True
    child_text_help: Any = ""
    child_text_max_length: int | None = None

    def add_child_views_fields(self) -> None:
        texts = (
            ("child_views", _("The child's views")),
            ("child_not_heard_reason", _("Why the child was not heard")),
        )
        for name, label in texts:
            self.fields[name] = forms.CharField(
                label=label,
                required=False,
                max_length=self.child_text_max_length,
                widget=forms.Textarea(attrs={"rows": 3}),
                help_text=self.child_text_help,
            )
        self.fields["child_age_when_heard"] = forms.IntegerField(
            label=_("The child's age when heard"), min_value=0, max_value=21, required=False
        )
        self.fields["child_interpreter"] = forms.CharField(
            label=_("Interpreter (name, or language and service)"), max_length=200, required=False
        )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}  # type: ignore[misc]
        for field, message in child_views_problems(self.is_child, cleaned).items():
            self.add_error(field, message)  # type: ignore[attr-defined]
        return cleaned

    def child_values(self) -> dict[str, Any]:
        """The child's views as the form holds them (None where empty); none on an adult's case."""
        cleaned: dict[str, Any] = self.cleaned_data  # type: ignore[attr-defined]
        return {name: cleaned.get(name) for name in CHILD_VIEWS_FIELDS if name in self.fields}


# --- countries and languages, by their names in the reader's language ---


def country_field(label: Any, *, required: bool = False, multiple: bool = False) -> forms.Field:
    # Callables, so that the names are those of the language of the request that shows the form.
    if multiple:
        return forms.MultipleChoiceField(label=label, choices=iso.country_choices, required=required)
    return forms.ChoiceField(
        label=label, choices=lambda: [("", "—"), *iso.country_choices()], required=required
    )


def language_field(
    label: Any, *, required: bool = False, multiple: bool = False, blank: Any = "—", help_text: Any = ""
) -> forms.Field:
    """A language (ISO 639-2), chosen by its name in the reader's language from the accessible type-ahead;
    `blank` names the empty choice ("Any" in a filter)."""
    # Callables, so that the names are those of the language of the request that shows the form.
    if multiple:
        return forms.MultipleChoiceField(
            label=label, choices=iso.language_choices, required=required, help_text=help_text
        )
    return forms.ChoiceField(
        label=label,
        choices=lambda: [("", blank), *iso.language_choices()],
        required=required,
        help_text=help_text,
    )


class MonthYearWidget(forms.MultiWidget):
    """A month as GOV.UK's date input asks for one: the month chosen by its name in the page's language, the
    year typed (a browser's own month field speaks the browser's language, not the page's, and some browsers
    have none). Posts `<name>_month` and `<name>_year`; a "YYYY-MM" posted as `<name>` (a script's, a
    test's) is read too. core/field.html draws it as a fieldset, the question its legend."""

    template_name = "core/widgets/month_year.html"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        months = [("", "—"), *((f"{number:02d}", name) for number, name in MONTHS.items())]
        year = {
            "class": "form-control app-year",
            "inputmode": "numeric",
            "autocomplete": "off",
            "maxlength": 4,
        }
        widgets: dict[str, forms.Widget | type[forms.Widget]] = {
            "month": forms.Select(choices=months, attrs={"class": "form-select app-month"}),
            "year": forms.TextInput(attrs=year),
        }
        super().__init__(widgets, attrs)

    def decompress(self, value: Any) -> list[str]:
        """[month, year] of a "YYYY-MM" or a date; the parts as typed when it is neither."""
        if isinstance(value, datetime.date):
            return [f"{value.month:02d}", str(value.year)]
        year, _dash, month = str(value or "").partition("-")
        return [month, year]

    def value_from_datadict(self, data: Any, files: Any, name: str) -> Any:
        if name in data:
            return data.get(name)
        month, year = super().value_from_datadict(data, files, name)
        if not month and not (year or "").strip():
            return ""
        return f"{(year or '').strip()}-{month or ''}"

    def value_omitted_from_data(self, data: Any, files: Any, name: str) -> bool:
        return name not in data and super().value_omitted_from_data(data, files, name)

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        parts = context["widget"]["subwidgets"]
        whole = context["widget"]["attrs"].get("id")
        for part, suffix in zip(parts, ("month", "year"), strict=True):
            if whole:
                part["attrs"]["id"] = f"{whole}_{suffix}"  # "id_x_month", not Django's "id_x_0"
        return context

    def id_for_label(self, id_: str) -> str:
        return f"{id_}_month" if id_ else ""  # the error summary leads to the month, the first part


class MonthField(forms.CharField):
    """A year and month ("YYYY-MM", as the month-and-year widget posts it): cleaned as text, then read as the
    month's first day (None when blank)."""

    def __init__(self, *, label: Any, required: bool, help_text: Any = "", **kwargs: Any) -> None:
        kwargs.setdefault("widget", MonthYearWidget())
        super().__init__(label=label, required=required, help_text=help_text, **kwargs)

    def clean(self, value: Any) -> Any:
        text = super().clean(value)
        if not text:
            return None
        year, _dash, month = text.partition("-")
        if not month:
            raise forms.ValidationError(_("Choose the month."))
        if not year:
            raise forms.ValidationError(_("Give the year, for example 2019."))
        try:
            return parse_month(text)
        except ValueError:
            raise forms.ValidationError(_("Give the year as four digits, for example 2019.")) from None


class RegionField(forms.ChoiceField):
    """A region (ISO 3166-2 subdivision) of the country chosen in the form's field `country`, chosen by its
    name: the form lists that country's regions (`list_regions_of_countries`), and app.js lists another
    country's when the reader changes it. Without JavaScript, a region of the country left behind is
    refused and the form comes back with the regions of the country now chosen."""

    default_error_messages = {"invalid_choice": _("Choose a region of the country chosen, or none.")}

    def __init__(self, label: Any, *, country: str, blank: Any = "—", help_text: Any = "") -> None:
        super().__init__(label=label, choices=[("", blank)], required=False, help_text=help_text)
        self.country = country
        self.blank = blank


def list_regions_of_countries(form: forms.BaseForm) -> None:
    """Each region field lists the regions of the country its form holds (sent, else as first shown)."""
    for field in form.fields.values():
        if isinstance(field, RegionField):
            country = iso.normalise_country(str(form[field.country].value() or "")) or ""
            field.choices = [("", field.blank), *iso.region_choices(country)]
            field.widget.attrs["data-regions-of"] = form.add_prefix(field.country)
            field.widget.attrs["data-regions-url"] = reverse("core:regions")
