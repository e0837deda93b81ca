"""URL routes declared as tables: each area lists (route, view, name) rows under a common start, most often
one case's reference, instead of writing `path(...)` by hand for each."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.urls import URLPattern, path

# Where one case's routes start: under the case pages' own prefix, and under an area's (pages or API).
REFERENCE = "<str:reference>/"
CASE = "cases/" + REFERENCE


def routes(under: str, table: Iterable[tuple[str, Any, str]]) -> list[URLPattern]:
    """One `path` per row (the route after `under`, the view, the URL name), in the table's order (the first
    route that matches wins). A class-based view is mounted with `as_view()`."""
    return [
        path(under + route, view.as_view() if hasattr(view, "as_view") else view, name=name)
        for route, view, name in table
    ]
