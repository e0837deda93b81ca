"""Serializers of what the API answers: a record as the caller sees it, never taken in. Every field named in
`Meta.fields` is read-only, so an answer serializer does not repeat its field list as `read_only_fields`."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers


# No docstring: drf-spectacular would show it as the description of every answer without one.
class AnswerModelSerializer(serializers.ModelSerializer):
    # A model serializer for answers only: the fields it makes from `Meta.fields` are read-only.

    def get_extra_kwargs(self) -> dict[str, Any]:
        extra: dict[str, Any] = super().get_extra_kwargs()
        for name in self.Meta.fields:
            extra[name] = {**extra.get(name, {}), "read_only": True}
        return extra
