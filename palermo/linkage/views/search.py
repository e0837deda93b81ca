"""The person search page: a name and as much of a birth date as is known, in a POST (never in the URL),
answered with ranked cases and why each matched (docs/decisions/0042)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from palermo.access import limits
from palermo.access.declare import allow
from palermo.accounts.active import acting
from palermo.core.staff_pages import staff_page
from palermo.core.web import invalid_status
from palermo.linkage.search import PersonSearchForm, person_search
from palermo.linkage.web import SEARCH_ROLES

TEMPLATE = "linkage/search.html"


@staff_page(allow(*SEARCH_ROLES), "GET", "POST")
def person_search_view(request: HttpRequest) -> HttpResponse:
    if request.method == "GET":
        return render(request, TEMPLATE, {"form": PersonSearchForm()})
    form = PersonSearchForm(request.POST)
    if not form.is_valid():
        return render(request, TEMPLATE, {"form": form}, status=invalid_status(request))
    verdict = limits.hit(request, door="name_search")
    if not verdict.allowed:
        context: dict[str, Any] = {"form": form, "rate_limited": limits.minutes(verdict.retry_after)}
        response = render(request, TEMPLATE, context, status=429)
        response["Retry-After"] = str(verdict.retry_after)
        return response
    _, membership = acting(request)
    data = form.cleaned_data
    results = person_search(membership, name=data["name"], born=data["born"])
    return render(request, TEMPLATE, {"form": form, "results": results, "searched": True})
