"""Lists as a reader reads them: items joined by their language's separator ("a, b" in English, "أ، ب" in
Arabic, the Ethiopic comma in Tigrinya), which each catalogue translates. A join of labels a person reads
goes through here; codes in messages for developers and operators keep a plain comma."""

from __future__ import annotations

from collections.abc import Iterable

from django.utils.translation import pgettext


def list_separator(*, phrases: bool = False) -> str:
    """Between the items of a list of words, or (`phrases`) of a list of phrases that may hold commas."""
    if phrases:
        return pgettext("between phrases in a list", "; ")
    return pgettext("between words in a list", ", ")


def listed(items: Iterable[object], *, phrases: bool = False) -> str:
    return list_separator(phrases=phrases).join(str(item) for item in items)
