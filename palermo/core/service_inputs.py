"""A service's input record (a frozen dataclass) from what a form or the API validated, where their fields
bear the record's names: each field the values hold, the others at the record's defaults."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from typing import Any, TypeVar

Input = TypeVar("Input")


def input_of(record: type[Input], values: Mapping[str, Any], **more: Any) -> Input:
    """`record` from `values`, with `more` given as is in place of what the values hold under those names."""
    names = [field.name for field in dataclasses.fields(record) if field.name not in more]  # type: ignore[arg-type]
    return record(**{name: values[name] for name in names if name in values}, **more)
