"""The OpenAPI schema drf-spectacular generates for the API (no request and no database needed), made once
per test process: several modules read it (the fuzzers at collection), and generating it costs seconds. Each
caller gets its own copy, free to change."""

from __future__ import annotations

import copy
import json
from functools import cache
from typing import Any

from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.renderers import OpenApiJsonRenderer


@cache
def _generated() -> dict[str, Any]:
    return SchemaGenerator().get_schema(request=None, public=True)  # type: ignore[no-any-return]


@cache
def _rendered() -> bytes:
    return OpenApiJsonRenderer().render(_generated())  # type: ignore[no-any-return]


def generated_schema() -> dict[str, Any]:
    """The schema as the generator makes it."""
    return copy.deepcopy(_generated())


def served_schema() -> dict[str, Any]:
    """The schema as `/api/schema/?format=json` serves it: the generator's, rendered to JSON and read back."""
    return json.loads(_rendered())  # type: ignore[no-any-return]
