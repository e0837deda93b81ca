"""Case search: by reference, status, phase, lead agency, form of exploitation, deadline and, through the
blind index, by name. Every search runs inside `cases_visible_to` (the access policy); a name (T2) matches
only the cases whose identity the searcher may read (`cases_readable_at`), and a search by name is
rate-limited per person (palermo.access.limits).

The form posts. A name and a birth date are T2 and never go into a URL (browser history, proxy and server
logs keep URLs): a search by name is answered in the response to its POST, and its pages are POSTs too. A
search without them is sent on (303) to its GET URL, so that it can be bookmarked and shared; a GET URL
holding a name or a birth date is refused rather than searched.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, QueryDict
from django.shortcuts import render
from django.urls import reverse
from django_htmx.http import push_url

from palermo.access import limits
from palermo.access.declare import allow
from palermo.access.selectors import cases_visible_to
from palermo.accounts.active import acting
from palermo.cases.filters import CaseFilter, carries_identity
from palermo.cases.selectors import case_list_queryset
from palermo.cases.views.cases import PAGE_SIZE
from palermo.cases.web import CASE_ROLES
from palermo.cases.worklist import with_next_deadlines
from palermo.core.staff_pages import staff_page
from palermo.core.web import invalid_status, is_htmx, paged

TEMPLATE = "cases/case_search.html"


@staff_page(allow(*CASE_ROLES), "GET", "POST")
def case_search(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        return posted_search(request)
    if carries_identity(request.GET):
        # Nothing from the URL is searched, echoed into the page (the language switcher's return address
        # included) or recorded.
        context = {
            "filter": search_filter(request, None),
            "page": None,
            "identity_in_url": True,
            "language_next": request.path,
        }
        return render(request, TEMPLATE, context, status=400)
    return bookmarkable_search(request)


def search_filter(request: HttpRequest, data: QueryDict | None) -> CaseFilter:
    _, membership = acting(request)
    visible = case_list_queryset(cases_visible_to(membership)).order_by("-opened_at", "-pk")
    return CaseFilter(data, queryset=visible, searcher=membership)


def bookmarkable_search(request: HttpRequest) -> HttpResponse:
    """A search without a name, from its URL; its pages are links."""
    filters = search_filter(request, request.GET or None)
    searched = filters.is_bound and filters.is_valid()
    page = (
        with_next_deadlines(paged(request, filters.qs, PAGE_SIZE), acting(request)[1]) if searched else None
    )
    response = render(request, TEMPLATE, {"filter": filters, "page": page})
    if is_htmx(request):  # the form's POST was sent on here: show the bookmarkable URL
        push_url(response, request.get_full_path())
    return response


def posted_search(request: HttpRequest) -> HttpResponse:
    filters = search_filter(request, request.POST)
    if not filters.is_valid():
        # HTMX swaps in only successful responses: it gets the errors with a 200.
        return render(request, TEMPLATE, {"filter": filters, "page": None}, status=invalid_status(request))
    if not filters.searches_by_name:
        return see_other(bookmarkable_url(request.POST))
    verdict = limits.hit(request, door="name_search")
    if not verdict.allowed:  # the form stays, with the reason in place of the results
        context: dict[str, Any] = {
            "filter": filters,
            "page": None,
            "rate_limited": limits.minutes(verdict.retry_after),
        }
        response = render(request, TEMPLATE, context, status=200 if is_htmx(request) else 429)
        response["Retry-After"] = str(verdict.retry_after)
        return response
    # The page's rows are recorded as a search by name when read (`recorded_as_name_search`).
    page = paged(request, filters.qs, PAGE_SIZE, number=request.POST.get("page", ""))
    page = with_next_deadlines(page, acting(request)[1])
    context = {"filter": filters, "page": page, "posted_criteria": criteria(request.POST)}
    return render(request, TEMPLATE, context)


def criteria(data: QueryDict, *, with_page: bool = False) -> list[tuple[str, str]]:
    """The search's criteria that were given (blank fields dropped), in the form's order."""
    names = [*CaseFilter.base_filters, *(["page"] if with_page else [])]
    return [(name, value) for name in names for value in data.getlist(name) if value.strip()]


def bookmarkable_url(data: QueryDict) -> str:
    query = urlencode(criteria(data, with_page=True))
    return reverse("cases:search") + (f"?{query}" if query else "")


def see_other(url: str) -> HttpResponse:
    """A 303: the browser follows it with a GET, whatever the method of the request answered."""
    response = HttpResponseRedirect(url)
    response.status_code = 303
    return response
