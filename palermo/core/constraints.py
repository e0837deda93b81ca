"""Constraints many models declare the same way."""

from __future__ import annotations

from django.db import models


def one_of(field: str, choices: type[models.Choices], name: str) -> models.CheckConstraint:
    """The database refuses a value of `field` outside `choices` (a model field's choices only bind forms
    and validation, not a save or an update)."""
    return models.CheckConstraint(condition=models.Q(**{f"{field}__in": choices.values}), name=name)
