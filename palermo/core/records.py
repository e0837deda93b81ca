"""Abstract bases for what many records declare the same way, whichever area keeps them.

- `NamedRow`: how a row names itself (`__str__`, in a shell, a log line or an error), from a template of its
  own ids and codes: "risk assessment {pk} of case {case_id}". A row is named by ids, never by personal data.
- `LanguageEntry`: one language (an ISO 639 code) of the person, service, partner or referral it hangs on;
  `language_once` lists each language once for it.
- `Versioned`: optimistic concurrency (palermo.core.concurrency): every edit states the version it read, and a
  stale version is refused.

Abstract models add no table and no migration: a model keeps every field it had, defined as it was. An
inherited field comes first in the model's `_meta` fields, and the subject access export lists a record's
plain fields in that order (palermo.privacy.export); so a base holds keys, the version (which the export
leaves out) or fields that came first anyway, and a record's dates stay in their place on the model.
"""

from __future__ import annotations

from typing import Any, ClassVar

from django.db import models
from django.utils.translation import gettext_lazy as _


class _Attributes(dict[str, Any]):
    """The row's attributes, looked up as a template names them."""

    def __init__(self, row: models.Model) -> None:
        super().__init__()
        self.row = row

    def __missing__(self, name: str) -> Any:
        return getattr(self.row, name)


class NamedRow(models.Model):
    """Abstract: `__str__` from the class's `row_name`, a `str.format` template of the row's attributes."""

    row_name: ClassVar[str]

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.row_name.format_map(_Attributes(self))


class Versioned(models.Model):
    """Abstract: the version an edit must state (palermo.core.concurrency)."""

    version = models.PositiveIntegerField(default=1)

    class Meta:
        abstract = True


class LanguageEntry(NamedRow):
    """Abstract: one language (a three-letter ISO 639 code) of the row its subclass hangs on, named by it."""

    row_name = "{language}"

    language = models.CharField(_("language"), max_length=3)

    class Meta:
        abstract = True
        ordering = ["language"]  # a subclass's `class Meta(LanguageEntry.Meta)` keeps it


def language_once(owner: str, *, name: str) -> models.UniqueConstraint:
    """A `LanguageEntry` subclass's constraint: each language listed once for the row it hangs on."""
    return models.UniqueConstraint(fields=[owner, "language"], name=name)
