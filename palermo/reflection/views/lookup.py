"""The non-removal look-up screen for migration officers: a document number, or a name with a birth date, in
a POST (never in the URL), answered only with "protected until DATE" or "no protection on record"."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from palermo.access import limits
from palermo.access.declare import allow
from palermo.accounts.active import acting
from palermo.core.staff_pages import staff_page
from palermo.reflection.forms import LookupForm
from palermo.reflection.services.lookup import removal_lookup
from palermo.reflection.web import LOOKUP_ROLES


@staff_page(allow(*LOOKUP_ROLES), "GET", "POST")
def removal_lookup_view(request: HttpRequest) -> HttpResponse:
    if request.method == "GET":
        return render(request, "reflection/lookup.html", {"form": LookupForm()})
    form = LookupForm(request.POST)
    if not form.is_valid():
        return render(request, "reflection/lookup.html", {"form": form}, status=400)
    limits.check(request, door="lookup")  # the API's rate, on the same count; past it, the plain 429 page
    user, membership = acting(request)
    answer = removal_lookup(query=form.cleaned_data["query"], actor=user, membership=membership)
    # A fresh, empty form: the details asked about are not echoed back into the page.
    return render(request, "reflection/lookup.html", {"form": LookupForm(), "answer": answer})
