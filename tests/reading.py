"""What a reader of another language reads of a record's words: said in their language, with no word left in
the deployment's English (the Latin letters of a label that was not translated)."""

from __future__ import annotations

from collections.abc import Callable
from importlib import import_module
from typing import Any

from django.utils import translation


def said_in(language: str, say: Callable[[], str]) -> str:
    """What `say` returns for a reader of `language`."""
    with translation.override(language):
        return say()


def in_arabic_only(text: str) -> bool:
    """Something said, and no Latin letter in it (an English word left in an Arabic sentence)."""
    return bool(text) and not any("a" <= letter.lower() <= "z" for letter in text)


def assert_read_in_each_language(say: Callable[[], str], french_ending: str) -> None:
    """What `say` returns reads in Arabic with no English word left, and in French as expected."""
    arabic = said_in("ar", say)
    assert in_arabic_only(arabic), arabic
    french = said_in("fr", say)
    assert french.endswith(french_ending), french


def migrated_from(entry: Any, key: str, old: str, migration: str, function: str) -> Any:
    """A timeline entry as written before (its argument `key` kept as `old`), after the data migration
    `migration`'s `function` ran over the timeline."""
    from django.apps import apps

    from palermo.cases.models import CaseEvent

    CaseEvent.objects.filter(pk=entry.pk).update(message_arguments={**entry.message_arguments, key: old})
    getattr(import_module(migration), function)(apps, None)
    entry.refresh_from_db()
    return entry
