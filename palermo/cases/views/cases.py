"""The working screens: My cases, case search, and the case page with one section per phase and area.

Every list goes through `cases_visible_to` (the access policy) before any filter, pages hold 50 cases, and
the number of queries does not depend on the page size. The case page is a frame of sections registered by
each area (palermo.cases.sections); a section's context function fills its own partial, and the page
includes the partials that exist.
"""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache

from palermo.access.declare import allow
from palermo.accounts.active import acting
from palermo.accounts.models import Membership
from palermo.cases.selectors import my_cases, names_shown, new_cases
from palermo.cases.web import CASE_ROLES, case_page_context, installed_sections, render_section, visible_case
from palermo.cases.worklist import CAPTIONS, CaseOrder, chosen_order, in_order, with_next_deadlines
from palermo.core.staff_pages import staff_page
from palermo.core.web import first_rows, is_htmx, paged

PAGE_SIZE = 50


@allow(*CASE_ROLES)
@never_cache
def case_list(request: HttpRequest) -> HttpResponse:
    """My cases: those the user or their agency is on the team of, or leads; newest first, or the soonest next
    deadline first (`?order=next_deadline`)."""
    _, membership = acting(request)
    order = chosen_order(request.GET.get("order"))
    cases = in_order(my_cases(membership), membership, order)
    page = with_next_deadlines(paged(request, cases, PAGE_SIZE), membership)
    context = {"page": page, "order": order, "orders": CaseOrder.choices, "caption": CAPTIONS[order]}
    return render(request, "cases/case_list.html", context)


NEW_DAYS = 14
PANEL_ROWS = 5


def new_cases_panel(request: HttpRequest, membership: Membership) -> dict[str, Any]:
    """The home page's panel: the newest of the new cases (opened in the last two weeks, not closed since),
    with the person's name where the reader may read it (a recorded read) and how many there are."""
    cases, total = first_rows(new_cases(membership, NEW_DAYS), PANEL_ROWS)
    names = names_shown(membership, {case.pk for case in cases})
    return {
        "rows": [{"case": case, "name": names.get(case.pk, "")} for case in cases],
        "total": total,
        "days": NEW_DAYS,
    }


@allow(*CASE_ROLES)
@never_cache
def case_detail(request: HttpRequest, reference: str) -> HttpResponse:
    """The case page: the header at once, the sections in one HTMX request made as soon as the page is shown
    (`case_sections`), so the page answers in the time of its header. Without script, a link opens the whole
    case on one page."""
    case, tiers = visible_case(request, reference)
    return render(request, "cases/case_detail.html", case_page_context(request, case, tiers, lazy=True))


@allow(*CASE_ROLES)
@never_cache
def case_detail_full(request: HttpRequest, reference: str) -> HttpResponse:
    """The whole case on one page, every section rendered (no script needed; for printing and reading)."""
    case, tiers = visible_case(request, reference)
    return render(request, "cases/case_detail.html", case_page_context(request, case, tiers))


@staff_page(allow(*CASE_ROLES), "GET")
def case_sections(request: HttpRequest, reference: str) -> HttpResponse:
    """Every section of the case page, as the page fetches them; a browser sent here without HTMX goes to the
    whole-case page."""
    case, tiers = visible_case(request, reference)
    if not is_htmx(request):
        return redirect("cases:detail_full", case.reference)
    return render(request, "cases/case_sections.html", case_page_context(request, case, tiers))


@staff_page(allow(*CASE_ROLES), "GET")
def case_section(request: HttpRequest, reference: str, area: str) -> HttpResponse:
    """One area's section on its own (to refresh it, or to measure it); without HTMX, that section on the
    whole-case page."""
    case, tiers = visible_case(request, reference)
    if not any(name == area for name, _template, _context in installed_sections()):
        raise Http404
    if not is_htmx(request):
        return redirect(reverse("cases:detail_full", args=[case.reference]) + f"#section-{area}")
    return render_section(request, case, tiers, area)
