"""Which fields of a record a reader may be shown, from the tier each field carries.

Encrypted fields carry their tier (`tier=2|3|4`, see `palermo.core.fields`); any other field is case metadata
(T1) unless a model says otherwise. Hidden fields are never read from the instance, so an encrypted value the
reader may not see is not even decrypted.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, Final

from django.db import models

from palermo.access.tiers import DEFAULT_FIELD_TIER, Tier, parse_tier

HIDDEN: Final = None  # what a hidden field's value becomes in `redacted_values`


def tier_of_field(field: models.Field | Any) -> Tier:
    tier = getattr(field, "tier", None)
    return DEFAULT_FIELD_TIER if tier is None else parse_tier(tier)


def tier_of_value(field: models.Field | Any, instance: Any) -> Tier:
    """The tier of one row's value of the field: the field's tier, raised for this row by the field's
    `by_row` rule when it has one (`palermo.core.fields.tiered`)."""
    tier = tier_of_field(field)
    rule = getattr(field, "tier_by_row", None)
    return tier if rule is None else max(tier, parse_tier(rule(instance)))


def row_tiered_fields(model_or_instance: type[models.Model] | models.Model) -> list[models.Field]:
    """The concrete fields of the model whose tier depends on the row."""
    model = _model(model_or_instance)
    return [field for field in model._meta.concrete_fields if getattr(field, "tier_by_row", None)]


def withheld_text(field: models.Field | Any, tier: Tier) -> Any:
    """What a reader without `tier` is shown instead of a row-tiered value ("" if the model names nothing)."""
    return getattr(field, "withheld", {}).get(int(tier), "")


def _model(model_or_instance: type[models.Model] | models.Model) -> type[models.Model]:
    return model_or_instance if isinstance(model_or_instance, type) else type(model_or_instance)


def field_tiers(model_or_instance: type[models.Model] | models.Model) -> dict[str, Tier]:
    """Every concrete field of the model by name, with its tier."""
    model = _model(model_or_instance)
    return {field.name: tier_of_field(field) for field in model._meta.concrete_fields}


def visible_fields(
    model_or_instance: type[models.Model] | models.Model, tiers: Iterable[Tier | int]
) -> list[str]:
    """The names of the fields a reader allowed `tiers` may be shown, in model order."""
    allowed = {parse_tier(tier) for tier in tiers}
    return [name for name, tier in field_tiers(model_or_instance).items() if tier in allowed]


def hidden_fields(
    model_or_instance: type[models.Model] | models.Model, tiers: Iterable[Tier | int]
) -> list[str]:
    allowed = {parse_tier(tier) for tier in tiers}
    return [name for name, tier in field_tiers(model_or_instance).items() if tier not in allowed]


def redacted_values(instance: models.Model, tiers: Iterable[Tier | int]) -> dict[str, Any]:
    """Field name -> value for what may be shown, and HIDDEN for the rest (never read, never decrypted).
    Relations give their id (`case` -> the case's pk) so that no related row is fetched here."""
    allowed = {parse_tier(tier) for tier in tiers}
    values: dict[str, Any] = {}
    for field in instance._meta.concrete_fields:
        shown = tier_of_value(field, instance) in allowed
        values[field.name] = getattr(instance, field.attname) if shown else HIDDEN
    return values
