"""The one tier-aware serializer base for the API: a field is null when the caller may not read its tier.

The tier comes from the model field the serializer field reads (`source`, defaulting to its name, on
`Meta.model`), never from a list kept beside the serializer. Every field above T1 is marked nullable in the
OpenAPI schema, with "null when the caller may not read tier N" in its description. The caller's tiers come
from `context["tiers"]`; a record handed out by `palermo.access.tiered.redact` is already redacted and its
hidden fields render null as well.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import FieldDoesNotExist
from django.db import models
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.fields import SkipField

from palermo.access.redaction import tier_of_field, tier_of_value
from palermo.access.tiered import Tiered, is_hidden
from palermo.access.tiers import Tier, parse_tier
from palermo.core.api_answers import AnswerModelSerializer


def hidden_text(tier: Tier) -> str:
    return f"null when the caller may not read tier {int(tier)} ({tier.code})."


def model_field_tier(model: type[models.Model], source: str) -> Tier:
    """The tier of the model field a serializer field reads; T1 for anything that is not a model field."""
    name = source.split(".")[0]
    try:
        model_field = model._meta.get_field(name)
    except FieldDoesNotExist:
        return Tier.METADATA
    return tier_of_field(model_field) if model_field.concrete else Tier.METADATA


def row_tiered_source(model: type[models.Model], source: str) -> models.Field | None:
    """The model field a serializer field reads when its tier depends on the row (`tiered(by_row=...)`):
    `service`, `service.name` and `service.kind` all read through the row-tiered `service`."""
    try:
        model_field = model._meta.get_field(source.split(".")[0])
    except FieldDoesNotExist:
        return None
    if isinstance(model_field, models.Field) and getattr(model_field, "tier_by_row", None):
        return model_field
    return None


def _record_of(instance: Any) -> Any:
    return instance.record if isinstance(instance, Tiered) else instance


def row_hidden_text(model_field: models.Field) -> str:
    tiers = sorted(int(tier) for tier in getattr(model_field, "withheld", {}))
    named = " or ".join(f"T{tier}" for tier in tiers) or "a higher tier"
    return f"null when this row's value reads at {named} and the caller may not read it (see `*_withheld`)."


@extend_schema_field({"type": "string", "pattern": "^T[2-4]$", "nullable": True})
class WithheldField(serializers.Field):
    """The tier ("T3", "T4") at which a row-tiered model field (`tiered(by_row=...)`) is withheld from the
    caller, or null when it is shown: tells "withheld" apart from "none" without showing the value."""

    def __init__(self, model_field: str, **kwargs: Any) -> None:
        self.model_field_name = model_field
        kwargs.setdefault(
            "help_text", f"The tier at which `{model_field}` is withheld from the caller; null when shown."
        )
        super().__init__(source="*", read_only=True, allow_null=True, **kwargs)

    def to_representation(self, value: Any) -> str | None:
        record = _record_of(value)
        model_field = type(record)._meta.get_field(self.model_field_name)
        tier = tier_of_value(model_field, record)
        readable = {parse_tier(item) for item in self.context.get("tiers", ())}
        return None if tier in readable else tier.code


class TieredFieldsMixin:
    """Nulls every field above the caller's tiers; see the module docstring."""

    Meta: Any
    context: dict[str, Any]

    _field_tiers: dict[type, dict[str, Tier]] = {}
    _row_tiered: dict[type, dict[str, models.Field]] = {}

    def field_tiers(self) -> dict[str, Tier]:
        """Serializer field name -> tier, for the fields above T1 (worked out once per serializer class)."""
        cached = TieredFieldsMixin._field_tiers.get(type(self))
        if cached is not None:
            return cached
        model = self.Meta.model
        tiers: dict[str, Tier] = {}
        for name, field in super().get_fields().items():  # type: ignore[misc]
            source = field.source or name
            tier = model_field_tier(model, source) if source != "*" else Tier.METADATA
            if tier > Tier.METADATA:
                tiers[name] = tier
        TieredFieldsMixin._field_tiers[type(self)] = tiers
        return tiers

    def row_tiered(self) -> dict[str, models.Field]:
        """Serializer field name -> the row-tiered model field it reads (worked out once per class)."""
        cached = TieredFieldsMixin._row_tiered.get(type(self))
        if cached is not None:
            return cached
        found: dict[str, models.Field] = {}
        for name, field in super().get_fields().items():  # type: ignore[misc]
            source = field.source or name
            model_field = row_tiered_source(self.Meta.model, source) if source != "*" else None
            if model_field is not None:
                found[name] = model_field
        TieredFieldsMixin._row_tiered[type(self)] = found
        return found

    def get_fields(self) -> dict[str, serializers.Field]:
        fields: dict[str, serializers.Field] = super().get_fields()  # type: ignore[misc]
        for name, tier in self.field_tiers().items():
            field = fields[name]
            field.allow_null = True
            text = hidden_text(tier)
            field.help_text = f"{field.help_text} {text}" if field.help_text else text[0].upper() + text[1:]
        for name, model_field in self.row_tiered().items():
            field = fields[name]
            field.allow_null = True
            text = row_hidden_text(model_field)
            field.help_text = f"{field.help_text} {text}" if field.help_text else text[0].upper() + text[1:]
        return fields

    def to_representation(self, instance: Any) -> dict[str, Any]:
        readable = {parse_tier(tier) for tier in self.context.get("tiers", ())}
        hidden = {name for name, tier in self.field_tiers().items() if tier not in readable}
        record = _record_of(instance)
        hidden.update(
            name
            for name, model_field in self.row_tiered().items()
            if tier_of_value(model_field, record) not in readable
        )
        data: dict[str, Any] = {}
        for name, field in self.fields.items():  # type: ignore[attr-defined]
            if field.write_only:
                continue
            if name in hidden:
                data[name] = None  # never read from the record: a hidden value is not even decrypted
                continue
            try:
                value = field.get_attribute(instance)
            except SkipField:
                continue
            data[name] = None if value is None or is_hidden(value) else field.to_representation(value)
        return data


# No docstring: drf-spectacular would show it as the description of every answer that uses it.
class AgencyWithheld(serializers.Serializer):
    # A mixin of tiered serializers whose `Meta.fields` name "agency_name" and "agency_withheld" (beside
    # "agency"): the agency by name, null where the row withholds it from the caller (it names a safe house's
    # provider or a health service the caller may not read; decision 0020), and the tier it is withheld at.
    agency_name = serializers.CharField(source="agency.name", read_only=True, allow_null=True)
    agency_withheld = WithheldField("agency")


# For answers only (AnswerModelSerializer): every field named in Meta.fields is read-only.
class TieredModelSerializer(TieredFieldsMixin, AnswerModelSerializer):
    """A model serializer whose fields above the caller's tiers are null."""


class TieredRecordSerializer(TieredFieldsMixin, serializers.Serializer):
    """A plain serializer over `Meta.model` whose fields above the caller's tiers are null."""
