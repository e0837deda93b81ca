"""Input fields the API's areas declare the same way: a record by id (ids outside the database's integer
range are simply not found), the version a change was read at, and a narrative text."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

MAX_ID = 2**31 - 1
MAX_TEXT = 20000


class Pk(serializers.PrimaryKeyRelatedField):
    """A record by id; ids outside the database's integer range are simply not found."""

    def to_internal_value(self, data: Any) -> Any:
        if isinstance(data, int) and not isinstance(data, bool) and not 1 <= data <= MAX_ID:
            self.fail("does_not_exist", pk_value=data)
        return super().to_internal_value(data)


def version(**options: Any) -> serializers.IntegerField:
    """The version of the record the change was read at (a stale one answers 409); `options` as for any
    field (`source`, `help_text`...)."""
    return serializers.IntegerField(min_value=1, max_value=MAX_ID, **options)


def text(required: bool = True) -> serializers.CharField:
    """A narrative text; when optional, it may be blank."""
    return serializers.CharField(max_length=MAX_TEXT, required=required, allow_blank=not required)
