"""Case search: by reference, status, phase, lead agency, form of exploitation, deadline and, through the
blind index, by name. Every search runs inside `cases_visible_to` (the access policy)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from palermo.access.declare import allow
from palermo.access.selectors import cases_visible_to
from palermo.cases.filters import CaseFilter
from palermo.cases.selectors import audit_name_search, case_list_queryset
from palermo.cases.views.cases import CASE_ROLES, acting, paged


@allow(*CASE_ROLES)
@never_cache
def case_search(request: HttpRequest) -> HttpResponse:
    user, membership = acting(request)
    visible = case_list_queryset(cases_visible_to(membership)).order_by("-opened_at", "-pk")
    filters = CaseFilter(request.GET or None, queryset=visible)
    searched = filters.is_bound and filters.is_valid()
    page = paged(request, filters.qs) if searched else None
    if searched and filters.searches_by_name and page is not None:
        references = [case.reference for case in page.object_list]
        audit_name_search(actor=user, membership=membership, references=references)
    return render(request, "cases/case_search.html", {"filter": filters, "page": page})
