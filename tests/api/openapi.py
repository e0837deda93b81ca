"""The OpenAPI schema drf-spectacular generates for the API (no request and no database needed), once per
test process: several modules read it, and generating it costs seconds. Each caller gets its own copy."""

from __future__ import annotations

import copy
from functools import cache
from typing import Any

from drf_spectacular.generators import SchemaGenerator


@cache
def _generated() -> dict[str, Any]:
    return SchemaGenerator().get_schema(request=None, public=True)  # type: ignore[no-any-return]


def generated_schema() -> dict[str, Any]:
    """The schema as the generator makes it (a copy the caller may change)."""
    return copy.deepcopy(_generated())
