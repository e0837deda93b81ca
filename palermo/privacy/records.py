"""Where a case's personal data is: every model with encrypted fields, blind indexes or plain fields of tier
2 and above, found from the models themselves (no list to keep up to date), with the path from each to its
case (`case`, `person__case`, `consent__case`, `submitted_case`...)."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.db import models

from palermo.cases.models import Case
from palermo.core.blind_index import BlindIndexField
from palermo.core.fields import EncryptedField


@dataclass(frozen=True)
class PersonalRecord:
    model: type[models.Model]
    path: str  # the look-up from a row to its case ("pk" for the case itself)
    encrypted: tuple[models.Field, ...]
    indexes: tuple[models.Field, ...]
    tiered: tuple[models.Field, ...]  # plain fields at tier 2-4

    @property
    def destroyed(self) -> tuple[models.Field, ...]:
        return (*self.encrypted, *self.indexes, *self.tiered)

    def of_case(self, case: Case) -> models.QuerySet[Any]:
        return self.model._base_manager.filter(**{self.path: case})


def _personal_fields(model: type[models.Model]) -> tuple[tuple[models.Field, ...], ...]:
    fields = model._meta.concrete_fields
    encrypted = tuple(f for f in fields if isinstance(f, EncryptedField))
    indexes = tuple(f for f in fields if isinstance(f, BlindIndexField))
    tiered = tuple(
        f for f in fields if not isinstance(f, EncryptedField) and (getattr(f, "tier", None) or 0) >= 2
    )
    return encrypted, indexes, tiered


def _path_to_case(model: type[models.Model]) -> str | None:
    if model is Case:
        return "pk"
    forward = [f for f in model._meta.concrete_fields if f.is_relation and f.related_model is not None]
    for field in forward:
        if field.related_model is Case:
            return field.name
    for field in forward:
        for onward in field.related_model._meta.concrete_fields:  # type: ignore[union-attr]
            if onward.is_relation and onward.related_model is Case:
                return f"{field.name}__{onward.name}"
    return None


@functools.cache
def personal_records() -> tuple[PersonalRecord, ...]:
    """Every model holding a case's personal data, with its path to the case."""
    found = []
    for model in apps.get_models():
        encrypted, indexes, tiered = _personal_fields(model)
        if not (encrypted or indexes or tiered):
            continue
        path = _path_to_case(model)
        if path is not None:
            found.append(PersonalRecord(model, path, encrypted, indexes, tiered))
    return tuple(found)


def unreached_models() -> list[str]:
    """Models with personal fields that belong to no case (staff accounts, the audit log's sealed notes)."""
    return sorted(
        model._meta.label_lower
        for model in apps.get_models()
        if any(_personal_fields(model)) and _path_to_case(model) is None
    )


def emptied(field: models.Field) -> Any:
    """What a destroyed value becomes: NULL where the column allows it, else the field's empty value."""
    if field.null:
        return None
    if field.has_default() and not isinstance(field, EncryptedField | BlindIndexField):
        return field.get_default()
    return ""
