"""Numbers as a reader reads them."""

from __future__ import annotations

from django import template
from django.template.defaultfilters import floatformat
from django.utils.translation import gettext

register = template.Library()


@register.filter
def percent(value: float | None) -> str:
    """A likelihood between 0 and 1 as a percentage in the reader's language ("99.6%", "100%"): one decimal
    at most, the language's decimal sign and its way of writing the per cent sign."""
    if value is None:
        return ""
    return gettext("%(number)s%%") % {"number": floatformat(round(value * 100, 1), -1)}
