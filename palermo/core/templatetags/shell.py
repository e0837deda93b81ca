"""Parts of the page shell that are the same for every request in a language, rendered once per language."""

from __future__ import annotations

from functools import cache

from django import template
from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.template.loader import render_to_string
from django.utils.html import format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, get_language_bidi, get_language_info

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


@register.simple_tag
def page_assets() -> SafeString:
    """Every page's stylesheets and scripts (Bootstrap's right-to-left build for a right-to-left language)."""
    return _page_assets(get_language_bidi())


@cache
def _page_assets(rtl: bool) -> SafeString:
    return mark_safe(render_to_string("core/page_assets.html", {"rtl": rtl}))  # noqa: S308  (a template's output)


@register.simple_tag
def page_texts() -> SafeString:
    """The texts the page's script shows (the type-ahead's words, the error title's prefix), as attributes of
    <body>, in the request's language."""
    return _page_texts(get_language())


@cache
def _page_texts(language: str) -> SafeString:
    return mark_safe(render_to_string("core/page_texts.html").strip())  # noqa: S308  (a template's output)


@receiver(setting_changed)
def _forget_rendered_parts(*, setting: str, **kwargs: object) -> None:
    """A test that serves static files another way, or changes the languages, gets parts rendered anew."""
    if setting in {"STORAGES", "STATIC_URL", "LANGUAGES", "STAFF_LANGUAGES", "LOCALE_PATHS"}:
        for rendered in (_language_options, _page_assets, _page_texts):
            rendered.cache_clear()
