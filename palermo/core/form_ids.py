"""Element ids of a form that shares its page with others (the case page's sections, a list of records each
with its form): prefixed, so that every label points at its own control."""

from __future__ import annotations

from typing import Any


class PrefixedIds:
    """A form mixin (before the form class): `ids`, such as "id_plan_%s", is the form's `auto_id` unless the
    caller gives one."""

    ids: str

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", self.ids)
        super().__init__(*args, **kwargs)
