"""The case timeline: every event on the case in time order, at the tiers the viewer may read."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.views.decorators.cache import never_cache

from palermo.access.declare import allow
from palermo.access.tiered import redact_all
from palermo.accounts.active import acting
from palermo.cases.duties import timeline_kinds_hidden_from
from palermo.cases.facts import preloaded_only
from palermo.cases.models import Case, CaseEvent
from palermo.cases.selectors import case_timeline
from palermo.cases.web import CASE_ROLES, render_section, visible_case
from palermo.core.web import first_page, paged

PAGE_SIZE = 100
PAGE_PARAM = "timeline_page"


def section_context(request: HttpRequest, case: Case, tiers: frozenset[int]) -> dict[str, Any]:
    _user, membership = acting(request)
    hidden = timeline_kinds_hidden_from(membership)
    # The case page's one statement reads the first page alike for all: not for a reader with kinds hidden.
    first = None if hidden else preloaded_only(case, "cases.timeline.first")
    if first is not None and request.GET.get(PAGE_PARAM) is None:
        page = paged(request, first, PAGE_SIZE, param=PAGE_PARAM, first=first)  # read; nothing more to build
    else:
        page = paged(request, case_timeline(case, tiers, hidden), PAGE_SIZE, param=PAGE_PARAM, first=first)
    # Who wrote an entry reads at T3/T4 when it names a safe house's provider or a health service.
    page.object_list = redact_all(
        page.object_list, tiers=tiers, membership=membership, case=case, action="timeline.read"
    )
    # Each kind's name looked up in one table: get_kind_display translates every kind's name for each entry.
    names = dict(CaseEvent._meta.get_field("kind").flatchoices)
    for event in page.object_list:
        event.kind_name = names.get(event.kind, event.kind)
    return {"timeline": page}


def first_page_reads(case: Case, tiers: frozenset[int]) -> dict[str, QuerySet[Any]]:
    """The timeline's first page with its total, for the case page's one statement (palermo.cases.facts)."""
    return {"cases.timeline.first": first_page(case_timeline(case, tiers), PAGE_SIZE)}


@allow(*CASE_ROLES)
@never_cache
def timeline_section(request: HttpRequest, reference: str) -> HttpResponse:
    """The timeline partial (HTMX refreshes it after a change elsewhere on the page, and pages through it)."""
    case, tiers = visible_case(request, reference)
    return render_section(request, case, tiers, "timeline")
