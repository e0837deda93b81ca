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
from rest_framework import serializers
from rest_framework.fields import SkipField

from palermo.access.redaction import tier_of_field
from palermo.access.tiered import is_hidden
from palermo.access.tiers import Tier, parse_tier


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


class TieredFieldsMixin:
    """Nulls every field above the caller's tiers; see the module docstring."""

    Meta: Any
    context: dict[str, Any]

    _field_tiers: dict[type, dict[str, Tier]] = {}

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

    def get_fields(self) -> dict[str, serializers.Field]:
        fields: dict[str, serializers.Field] = super().get_fields()  # type: ignore[misc]
        for name, tier in self.field_tiers().items():
            field = fields[name]
            field.allow_null = True
            text = hidden_text(tier)
            field.help_text = f"{field.help_text} {text}" if field.help_text else text[0].upper() + text[1:]
        return fields

    def to_representation(self, instance: Any) -> dict[str, Any]:
        readable = {parse_tier(tier) for tier in self.context.get("tiers", ())}
        hidden = {name for name, tier in self.field_tiers().items() if tier not in readable}
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


class TieredModelSerializer(TieredFieldsMixin, serializers.ModelSerializer):
    """A model serializer whose fields above the caller's tiers are null."""


class TieredRecordSerializer(TieredFieldsMixin, serializers.Serializer):
    """A plain serializer over `Meta.model` whose fields above the caller's tiers are null."""
