"""Lists in the reader's language (palermo.core.lists): `{{ labels|listed }}` for a list of words,
`{{ grounds|listed_phrases }}` for phrases, `{% list_separator %}` (or `phrases=True`) between the items of a
loop whose items are marked up."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import template
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe

from palermo.core.lists import list_separator as separator

register = template.Library()


def _joined(items: Iterable[Any] | None, between: str, autoescape: bool) -> SafeString:
    escape = conditional_escape if autoescape else str
    return mark_safe(escape(between).join(escape(item) for item in items or ()))  # noqa: S308 - escaped


@register.filter(needs_autoescape=True)
def listed(items: Iterable[Any] | None, autoescape: bool = True) -> SafeString:
    return _joined(items, separator(), autoescape)


@register.filter(needs_autoescape=True)
def listed_phrases(items: Iterable[Any] | None, autoescape: bool = True) -> SafeString:
    return _joined(items, separator(phrases=True), autoescape)


@register.simple_tag
def list_separator(*, phrases: bool = False) -> str:
    return separator(phrases=phrases)
