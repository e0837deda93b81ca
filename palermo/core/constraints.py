"""Choice columns the database checks.

A model field's `choices` bind forms and validation only; a save or a `QuerySet.update` that skips them
could store any text. `ChoiceField` (text) and `IntegerChoiceField` (small numbers) take the `Choices` class
and add a check constraint to their model, so the database refuses a value outside it and nobody writes the
list a second time in `Meta`:

    status = ChoiceField(EntryStatus, _("status"), max_length=12, default=EntryStatus.CURRENT)

- The check is named after the table and the column (`origin_countryentry_status_valid`, shortened with a
  hash past PostgreSQL's 63 characters), so names are unique across the project and follow one rule.
- A blank text column also accepts the empty text it stores for "not given"; NULL passes a check in SQL
  (and in Django's validation), so a nullable column stays nullable.
- `max_length` defaults to the longest value. A declaration may give more: the columns that had a width
  before these fields came keep it, since the check already bounds the values and narrowing a column would
  rewrite its table for nothing.
- Migrations see a plain `CharField` / `PositiveSmallIntegerField` and the constraint in the model's
  options (`deconstruct` and `clone` return the plain field), so historical models do not add it twice.
- An abstract base's field adds nothing to the base; each concrete model gets its own copy of the field,
  which adds the check under that model's table.

Encrypted fields with choices cannot be checked by the database (their column holds ciphertext).
"""

from __future__ import annotations

from typing import Any

from django.db import models
from django.db.backends.utils import truncate_name

POSTGRES_NAME_LENGTH = 63


class _ChecksChoices(models.Field):  # type: ignore[type-arg]
    """A field whose values come from one `Choices` class and whose model checks them."""

    plain: type[models.Field]  # type: ignore[type-arg]

    def __init__(self, choices: type[models.Choices], *args: Any, **kwargs: Any) -> None:
        self.choices_class = choices
        kwargs["choices"] = choices.choices
        super().__init__(*args, **kwargs)

    def contribute_to_class(self, cls: type[models.Model], name: str, private_only: bool = False) -> None:
        super().contribute_to_class(cls, name, private_only)
        if not cls._meta.abstract:
            # A copy: the list may be the one the model's Meta class (and its subclasses' Meta) declared.
            cls._meta.constraints = [*cls._meta.constraints, self.check_constraint(cls)]
            # The migration state reads a model's constraints only when its Meta declared some.
            cls._meta.original_attrs["constraints"] = cls._meta.constraints

    def check_constraint(self, model: type[models.Model]) -> models.CheckConstraint:
        name = truncate_name(f"{model._meta.db_table}_{self.column}_valid", POSTGRES_NAME_LENGTH)
        return models.CheckConstraint(condition=models.Q(**{f"{self.name}__in": self.allowed()}), name=name)

    def allowed(self) -> list[Any]:
        values = list(self.choices_class.values)
        if self.blank and not self.null and self.empty_strings_allowed:
            values.append("")
        return values

    def deconstruct(self) -> Any:
        name, _path, args, kwargs = super().deconstruct()
        return name, f"django.db.models.{self.plain.__name__}", args, kwargs

    def clone(self) -> models.Field[Any, Any]:  # type: ignore[override]
        """The migration state's copy: a plain field (the state holds the check among the model's options)."""
        _name, _path, args, kwargs = self.deconstruct()
        return self.plain(*args, **kwargs)


class ChoiceField(_ChecksChoices, models.CharField):  # type: ignore[type-arg]
    """A text column holding one value of a `TextChoices` class, checked by the database."""

    plain = models.CharField

    def __init__(self, choices: type[models.TextChoices], *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", max(len(value) for value in choices.values))
        super().__init__(choices, *args, **kwargs)


class IntegerChoiceField(_ChecksChoices, models.PositiveSmallIntegerField):  # type: ignore[type-arg]
    """A small number holding one value of an `IntegerChoices` class, checked by the database."""

    plain = models.PositiveSmallIntegerField
