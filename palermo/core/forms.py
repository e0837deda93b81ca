"""Shared form behaviour: Bootstrap classes on every widget, so templates stay free of widget tweaks."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from palermo.core.decisions import CHILD_VIEWS_FIELDS, child_views_problems


class DateInput(forms.DateInput):
    """The browser's date picker."""

    input_type = "date"


def day_field(label: Any, **kwargs: Any) -> forms.DateField:
    return forms.DateField(label=label, widget=DateInput, **kwargs)


def long_text_field(
    label: Any, *, max_length: int, required: bool = True, help_text: Any = ""
) -> forms.CharField:
    """A text of a few lines (three rows shown)."""
    return forms.CharField(
        label=label,
        required=required,
        max_length=max_length,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=help_text,
    )


def _bootstrap_class(widget: forms.Widget) -> str:
    if isinstance(widget, forms.CheckboxInput | forms.RadioSelect | forms.CheckboxSelectMultiple):
        return "form-check-input"
    if isinstance(widget, forms.Select):
        return "form-select"
    return "form-control"


class StyledFormMixin:
    """Adds Bootstrap's control class to each widget; `aria-invalid` is set by Django on bound errors."""

    fields: dict[str, forms.Field]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[call-arg]
        for field in self.fields.values():
            css = field.widget.attrs.get("class", "")
            wanted = _bootstrap_class(field.widget)
            if wanted not in css.split():
                field.widget.attrs["class"] = f"{css} {wanted}".strip()


class StyledForm(StyledFormMixin, forms.Form):
    pass


class StyledModelForm(StyledFormMixin, forms.ModelForm):
    pass


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
