"""Whether the page shows a form with errors: the base template puts "Error:" before the page's title then,
as GOV.UK asks, so a screen reader hears at once that the submission failed. One place for every page: any
bound form (or formset, or filter's form) in the template context that did not validate."""

from __future__ import annotations

from typing import Any

from django import template
from django.forms import BaseForm, BoundField
from django.forms.formsets import BaseFormSet
from django.utils.translation import gettext

register = template.Library()


def _has_errors(value: Any, *, within: bool = True) -> bool:
    if within and isinstance(value, dict):  # a page's several forms, by name (one level down only)
        return any(_has_errors(item, within=False) for item in value.values())
    if isinstance(value, BaseForm):
        return value.is_bound and bool(value.errors)
    if isinstance(value, BaseFormSet):
        return value.is_bound and value.total_error_count() > 0
    form = getattr(type(value), "form", None)
    if isinstance(form, property) and getattr(value, "is_bound", False):  # a django-filter FilterSet
        return _has_errors(value.form)
    return False


@register.simple_tag(takes_context=True)
def error_title_prefix(context: template.Context) -> str:
    """ "Error: " when a form on the page has errors, else nothing."""
    if any(_has_errors(value) for value in context.flatten().values()):
        return gettext("Error:") + " "
    return ""


@register.filter
def error_anchor(field: BoundField) -> str:
    """The id the error summary links a field's problem to: the control, or a choice list's first choice."""
    if field.id_for_label:
        return str(field.id_for_label)
    for choice in field.subwidgets:
        return str(choice.id_for_label or field.auto_id)
    return str(field.auto_id)


@register.filter
def is_optional(field: BoundField) -> bool:
    """Whether the label says "(optional)" (GOV.UK: mark the optional questions, not the required ones). A
    lone checkbox is an answer in itself, and a form of filters (`is_filter`, palermo.core.forms) is all
    optional."""
    if field.field.required or field.widget_type == "checkbox":
        return False
    return not getattr(field.form, "is_filter", False)


@register.filter
def character_limit(field: BoundField) -> int | None:
    """The most characters a text field holds, for its character count; None for other fields, and for the
    fields of a form of filters (a search term is not a text one writes up to a limit)."""
    limit = getattr(field.field, "max_length", None)
    if getattr(field.form, "is_filter", False):
        return None
    if limit and field.widget_type in ("text", "textarea"):
        return int(limit)
    return None
