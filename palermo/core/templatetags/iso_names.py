"""Countries and languages by name in the reader's language, never their ISO codes: `{% load iso_names %}`,
then `{{ code|country_name }}` and `{{ code|language_name }}` (palermo/core/iso.py). A value that is not a
code (empty, or withheld from this reader) is returned as it is."""

from __future__ import annotations

from typing import Any

from django import template

from palermo.core import iso

register = template.Library()


@register.filter
def country_name(value: Any) -> Any:
    return iso.country_name(value) if isinstance(value, str) and value else value


@register.filter
def language_name(value: Any) -> Any:
    return iso.language_name(value) if isinstance(value, str) and value else value
