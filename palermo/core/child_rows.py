"""A record's list of plain values kept as child rows (a service's languages and regions, a partner's services
and languages): saving the record replaces them all."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any


def replace_child_rows(related: Any, field: str, values: Iterable[Any]) -> None:
    """Replace the child rows behind a reverse foreign key manager (`partner.languages`) with one row per
    value, the value in `field`: the old rows deleted in one statement, the new ones inserted in another."""
    related.all().delete()
    child = related.model
    parent = {related.field.name: related.instance}
    child.objects.bulk_create([child(**parent, **{field: value}) for value in values])
