"""Text that must keep its own direction inside a sentence of the other one: a date or a name inside Arabic
text, a phone number or a reference anywhere. Wrapped in <bdi> (an isolate in browsers; in WeasyPrint's PDFs a
text run of its own, in its own direction) so that the surrounding sentence neither reorders it nor is
reordered by it."""

from __future__ import annotations

from typing import Any

from django import template
from django.template.defaultfilters import linebreaks_filter, linebreaksbr
from django.utils.html import format_html
from django.utils.safestring import SafeString

register = template.Library()


@register.filter
def isolated(value: Any) -> SafeString:
    """The value as an isolate that takes its direction from its own first strong letter (a date in the page's
    language, a name in its own script)."""
    return format_html("<bdi>{}</bdi>", value)


@register.filter
def left_to_right(value: Any) -> SafeString:
    """The value as a left-to-right isolate: phone numbers, e-mail addresses, references and ISO dates, whose
    digits and signs a right-to-left sentence would otherwise reorder."""
    return format_html('<bdi dir="ltr">{}</bdi>', value)


@register.filter
def case_reference(value: Any) -> SafeString:
    """A case reference inside a sentence: left to right, and never broken at its hyphens (a narrow
    right-to-left heading would otherwise show its parts on two lines, in an order that reads wrong)."""
    return format_html('<bdi dir="ltr" class="app-reference">{}</bdi>', value)


@register.filter(needs_autoescape=True)
def written(value: Any, autoescape: bool = True) -> SafeString:
    """Text a person wrote (reasons, a summary, an address), its line breaks kept, in an element whose
    direction is its own text's (app.css: `unicode-bidi: plaintext`): an English sentence on an Arabic page,
    or an Arabic one on an English page, keeps its full stop and its brackets at its own end."""
    return format_html('<span class="app-written">{}</span>', linebreaksbr(value, autoescape))


@register.filter(needs_autoescape=True)
def written_paragraphs(value: Any, autoescape: bool = True) -> SafeString:
    """`written` for a longer text in paragraphs (a note, a plan's goals): each paragraph in its own
    direction."""
    return format_html('<div class="app-written">{}</div>', linebreaks_filter(value, autoescape))
