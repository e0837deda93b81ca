"""Countries and languages by name in the reader's language, never their ISO codes (palermo/core/iso.py):
`{% load iso_names %}`, then `{{ code|iso_country_name }}` and `{{ code|iso_language_name }}` (Django's i18n
library has a `language_name` filter of its own). A value that is not a code (empty, or withheld from this
reader) is returned as it is. `{{ code|interface_language_name }}` names a language by the code Django gives
it ("en", "pt-br": a letter's, a court's, a portal visitor's), where Django's own filter would fail on a code
it does not know."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.translation import get_language_info, gettext

from palermo.core import iso

register = template.Library()


@register.filter
def iso_country_name(value: Any) -> Any:
    return iso.country_name(value) if isinstance(value, str) and value else value


@register.filter
def iso_region_name(value: Any) -> Any:
    return iso.region_name(value) if isinstance(value, str) and value else value


@register.filter
def iso_language_name(value: Any) -> Any:
    return iso.language_name(value) if isinstance(value, str) and value else value


@register.filter
def interface_language_name(value: Any) -> Any:
    try:
        return gettext(get_language_info(value)["name"]) if isinstance(value, str) and value else value
    except KeyError:
        return value
