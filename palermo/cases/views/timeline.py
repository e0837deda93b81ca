"""The case timeline: every event on the case in time order, at the tiers the viewer may read."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.views.decorators.cache import never_cache

from palermo.access.declare import allow
from palermo.cases.models import Case
from palermo.cases.selectors import case_timeline
from palermo.cases.web import CASE_ROLES, render_section, visible_case
from palermo.core.web import paged

PAGE_SIZE = 100


def section_context(request: HttpRequest, case: Case, tiers: frozenset[int]) -> dict[str, Any]:
    events = case_timeline(case, tiers)
    return {"timeline": paged(request, events, PAGE_SIZE, param="timeline_page")}


@allow(*CASE_ROLES)
@never_cache
def timeline_section(request: HttpRequest, reference: str) -> HttpResponse:
    """The timeline partial (HTMX refreshes it after a change elsewhere on the page, and pages through it)."""
    case, tiers = visible_case(request, reference)
    return render_section(request, case, tiers, "timeline")
