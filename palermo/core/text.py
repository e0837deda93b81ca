"""Free text typed into a form or sent to the API, cleaned the same way in every area; and the words the
system writes once, in the deployment's language, the same for every reader (timeline summaries, reasons)."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


def clean_field_text(value: str | None, field: str, *, required: bool, limit: int) -> str:
    """The value trimmed; a ValidationError keyed by `field` when it is required and empty, or too long."""
    value = (value or "").strip()
    if required and not value:
        raise ValidationError({field: _("Enter some text here.")})
    if len(value) > limit:
        raise ValidationError({field: _("At most %(limit)d characters.") % {"limit": limit}})
    return value


def in_record_language(message: str) -> str:
    """A message (marked with gettext_noop where it is defined) in the deployment's language."""
    with translation.override(settings.LANGUAGE_CODE):
        return translation.gettext(message)


def record_language(text: str | Promise) -> str:
    """A lazy label (a choice's, a kind's) in the deployment's language."""
    with translation.override(settings.LANGUAGE_CODE):
        return str(text)
