"""Free text typed into a form or sent to the API, cleaned the same way in every area; and the words the
system writes once, in the deployment's language, the same for every reader (timeline summaries, reasons)."""

from __future__ import annotations

import contextlib
import datetime
import re
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.formats import date_format
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


def checked_text(
    value: str | None,
    *,
    limit: int,
    missing: Any,
    too_long: Any,
    required: bool = True,
    code: str = "",
    field: str | None = None,
) -> str:
    """The value trimmed. A ValidationError says `missing` (code `<code>required`) when it is required and
    empty, `too_long` (code `<code>too_long`, the limit as `%(limit)d` or `%(maximum)d`) when it is longer
    than `limit`; keyed by `field` when one is named."""
    value = (value or "").strip()
    if required and not value:
        raise _refused(ValidationError(missing, code=f"{code}required"), field)
    if len(value) > limit:
        params = {"limit": limit, "maximum": limit}
        raise _refused(ValidationError(too_long, code=f"{code}too_long", params=params), field)
    return value


def _refused(error: ValidationError, field: str | None) -> ValidationError:
    return ValidationError({field: error}) if field else error


# What a text too long is told, with the limit.
TOO_LONG = _("At most %(limit)d characters.")


def clean_field_text(value: str | None, field: str, *, required: bool, limit: int) -> str:
    """The value trimmed; a ValidationError keyed by `field` when it is required and empty, or too long."""
    return checked_text(
        value,
        limit=limit,
        missing=_("Enter some text here."),
        too_long=TOO_LONG,
        required=required,
        field=field,
    )


class RecordText(str):
    """A message in the deployment's language (what the record, exports and the API keep) that remembers its
    source and arguments, so that each reader of a timeline reads it in their own language
    (`CaseEvent.summary_for_reader`). `%` keeps them: `in_record_language(PERMIT) % {"end": ...}`."""

    message: str
    arguments: dict[str, str]

    def __new__(cls, text: str, message: str, arguments: dict[str, str] | None = None) -> RecordText:
        made = super().__new__(cls, text)
        made.message, made.arguments = message, arguments or {}
        return made

    def __mod__(self, values: Any) -> RecordText:
        if not isinstance(values, dict):
            return RecordText(str.__mod__(self, values), "")  # positional: nothing a reader could translate
        # The record's text in the deployment's language, its lazy labels too; the arguments by their source.
        with translation.override(settings.LANGUAGE_CODE):
            shown = {k: _in_words(v) for k, v in values.items()}
        return RecordText(str.__mod__(self, shown), self.message, {k: _source(v) for k, v in values.items()})


def _in_words(value: Any) -> Any:
    """An argument as the active language says it: a lazy label translated, a day in words."""
    if isinstance(value, Promise):
        return str(value)
    if isinstance(value, datetime.date) and not isinstance(value, datetime.datetime):
        return date_format(value)
    return value


def _source(value: Any) -> str:
    """An argument as the message catalogues know it: a lazy label by its source text (translated again for
    each reader), a day in ISO 8601 (said in words again for each reader, `argument_for_reader`), anything
    else (a name) as it is."""
    if isinstance(value, Promise):
        context = _context_of(value)
        with translation.override(None):
            return f"{context}{CONTEXT}{value}" if context else str(value)
    return str(value)


# How a message's context is kept before its source text (as gettext itself keys a message with one).
CONTEXT = "\x04"


def _context_of(label: Promise) -> str:
    """The context of a label marked with pgettext_lazy (a word whose translation depends on it, such as a
    decision's "Granted"); '' for any other. Read through the lazy label's pickling, its public form."""
    reduced: Any = label.__reduce__()  # (unpickle, (function, arguments, keywords, *result classes))
    function, arguments = reduced[1][0], reduced[1][1]
    return str(arguments[0]) if function is translation.pgettext and len(arguments) == 2 else ""


ISO_DAY = re.compile(r"\d{4}-\d\d-\d\d")


def message_columns(text: str) -> dict[str, Any]:
    """What a record keeps beside `text` so that each reader reads it in their own language: its message and
    arguments when it has them (a RecordText); nothing for text that has none (typed, or positional)."""
    if isinstance(text, RecordText):
        return {"message": text.message, "message_arguments": text.arguments}
    return {}


def text_for_reader(kept: str, message: str, arguments: dict[str, str]) -> str:
    """Text kept in the record language (`kept`), in the reader's (active) language: its message translated,
    with its arguments (labels, days) translated too; text kept without a message, as it was kept."""
    if not message:
        return kept
    shown = {key: argument_for_reader(value) for key, value in arguments.items()}
    try:
        return translation.gettext(message) % shown if shown else translation.gettext(message)
    except (KeyError, ValueError, TypeError):  # a translation that lost a placeholder: the record's own
        return kept


def argument_for_reader(source: str) -> str:
    """A stored argument in the reader's (active) language: a label translated (in its context, when it was
    kept with one), a day in words."""
    if CONTEXT in source:
        context, message = source.split(CONTEXT, 1)
        return translation.pgettext(context, message)
    if ISO_DAY.fullmatch(source):
        with contextlib.suppress(ValueError):
            return date_format(datetime.date.fromisoformat(source))
    return translation.gettext(source)


def in_record_language(message: str) -> RecordText:
    """A message (marked with gettext_noop where it is defined) in the deployment's language: written once,
    the same for every reader of the record; a timeline shows each reader their own language."""
    with translation.override(settings.LANGUAGE_CODE):
        return RecordText(translation.gettext(message), message)


def record_language(text: str | Promise) -> str:
    """A lazy label (a choice's, a kind's) in the deployment's language."""
    with translation.override(settings.LANGUAGE_CODE):
        return str(text)
