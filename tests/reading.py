"""What a reader of another language reads of a record's words: said in their language, with no word left in
the deployment's English (the Latin letters of a label that was not translated)."""

from __future__ import annotations

from collections.abc import Callable

from django.utils import translation


def said_in(language: str, say: Callable[[], str]) -> str:
    """What `say` returns for a reader of `language`."""
    with translation.override(language):
        return say()


def in_arabic_only(text: str) -> bool:
    """Something said, and no Latin letter in it (an English word left in an Arabic sentence)."""
    return bool(text) and not any("a" <= letter.lower() <= "z" for letter in text)
