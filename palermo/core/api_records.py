"""What records of every area show alike in the API: a record kept by an agency names it beside its id; a
value some readers may not see (the reasons of a decision, the child's views) is null for them; a user the
record names is shown by sign-in and display name beside the id; a record's related items of one kind (its
languages, its regions) are listed by their values."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from rest_framework import serializers


# No docstring: drf-spectacular would show it as the description of every answer that uses it.
class AgencyNamed(serializers.Serializer):
    # A mixin of model serializers whose `Meta.fields` name "agency_name" (beside "agency").
    agency_name = serializers.CharField(source="agency.name", read_only=True)


def user_named(role: str, *, nullable: bool = False) -> type[serializers.Serializer]:
    """A mixin of model serializers whose `Meta.fields` name "<role>_username" and "<role>_display_name"
    (beside "<role>"): the user the record names in that role, by sign-in and by display name; with
    `nullable`, null where it names none (or the reader may not see whom)."""
    fields = {
        f"{role}_{name}": serializers.CharField(source=f"{role}.{name}", read_only=True, allow_null=nullable)
        for name in ("username", "display_name")
    }
    # No docstring: drf-spectacular would show it as the description of every answer that uses it.
    return type(f"Named_{role}", (serializers.Serializer,), fields)


Shown = Callable[[Any, Any], bool]


def attribute_shown(
    name: str, returns: Any, shown: Shown, doc: str | None = None
) -> Callable[[Any, Any], Any]:
    """The `get_<name>` of a SerializerMethodField: the record's `name`, or null unless `shown(serializer,
    record)`. `returns` is the type the schema gives the field, and `doc` its description."""

    def get(serializer: Any, record: Any) -> Any:
        return getattr(record, name) if shown(serializer, record) else None

    get.__annotations__ = {"serializer": Any, "record": Any, "return": returns}
    get.__doc__ = doc
    get.__name__ = get.__qualname__ = f"get_{name}"
    return get


def related_values(relation: str, value: str) -> Callable[[Any, Any], list[str]]:
    """The `get_<relation>` of a SerializerMethodField: the `value` of each of the record's `relation` items
    (a list of strings in the schema)."""

    def get(serializer: Any, record: Any) -> list[str]:
        return [getattr(item, value) for item in getattr(record, relation).all()]

    get.__annotations__ = {"serializer": Any, "record": Any, "return": list[str]}
    get.__name__ = get.__qualname__ = f"get_{relation}"
    return get
