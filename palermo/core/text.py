"""Free text typed into a form or sent to the API, cleaned the same way in every area."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _


def clean_field_text(value: str | None, field: str, *, required: bool, limit: int) -> str:
    """The value trimmed; a ValidationError keyed by `field` when it is required and empty, or too long."""
    value = (value or "").strip()
    if required and not value:
        raise ValidationError({field: _("Enter some text here.")})
    if len(value) > limit:
        raise ValidationError({field: _("At most %(limit)d characters.") % {"limit": limit}})
    return value
