"""Shared form behaviour: Bootstrap classes on every widget, so templates stay free of widget tweaks."""

from __future__ import annotations

from typing import Any

from django import forms


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
