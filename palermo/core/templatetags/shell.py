"""Parts of the page shell that are the same for every request in a language, rendered once per language."""

from __future__ import annotations

from functools import cache

from django import template
from django.conf import settings
from django.utils.html import format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, get_language_info

register = template.Library()


@register.simple_tag
def language_options() -> SafeString:
    """The language switcher's <option>s, each language named in itself, the current one selected."""
    return _language_options(get_language())


@cache
def _language_options(current: str) -> SafeString:
    options = [(code, get_language_info(code)["name_local"]) for code in settings.STAFF_LANGUAGES]
    return format_html_join(
        "\n",
        '<option value="{}" lang="{}"{}>{}</option>',
        ((code, code, mark_safe(" selected") if code == current else "", name) for code, name in options),
    )
