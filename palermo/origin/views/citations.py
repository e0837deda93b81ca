"""Citing country information in a decision: the decision's citations (each saying whether the entry changed
since it was cited), a search of entries to cite, and the cite and remove actions."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from palermo.access.declare import allow
from palermo.accounts.active import acting
from palermo.core.staff_pages import staff_page
from palermo.core.web import confirm, invalid_status, other_params, paged, refusals_onto, refused_as_not_found
from palermo.origin import selectors
from palermo.origin.citations import located
from palermo.origin.forms import CiteForm, EntryFilterForm, UnciteForm
from palermo.origin.models import EntryStatus
from palermo.origin.services.citations import citation_add, citation_remove
from palermo.origin.web import ORIGIN_ROLES, PAGE_SIZE, citing, entry_filters


def _page(
    request: HttpRequest, kind_key: str, decision_id: int, status: int = 200, **extra: object
) -> HttpResponse:
    user, membership = acting(request)
    kind, decision = located(membership, kind_key, decision_id)
    may_cite = kind.may_cite(membership, decision.case)
    filters = entry_filters(request.GET)
    found = selectors.entries(user, **{**filters, "status": EntryStatus.CURRENT}) if may_cite else None
    context = {
        "kind": kind,
        "decision": decision,
        "decision_id": decision_id,
        "citations": selectors.citations_for(kind.key, [decision_id])[decision_id],
        "may_cite": may_cite,
        "filters": EntryFilterForm(request.GET or None),
        "page": paged(request, found, PAGE_SIZE) if found is not None else None,
        "query": other_params(request),
        **extra,
    }
    return render(request, "origin/citations.html", context, status=status)


@staff_page(allow(*ORIGIN_ROLES), "GET")
def citations(request: HttpRequest, kind: str, decision_id: int) -> HttpResponse:
    return _page(request, kind, decision_id)


def _here(kind: str, decision_id: int) -> str:
    return reverse("origin:citations", args=[kind, decision_id])


@staff_page(allow(*ORIGIN_ROLES), "POST")
def cite(request: HttpRequest, kind: str, decision_id: int) -> HttpResponse:
    form = CiteForm(request.POST)
    if form.is_valid():
        entry_id = form.cleaned_data["entry"]
        with refused_as_not_found():
            done = refusals_onto(
                form,
                lambda: citing(request, citation_add, kind, decision_id, entry_id=entry_id),
                by_field=False,
            )
        if done:
            confirm(request, _("Entry cited in the decision"))
            return redirect(_here(kind, decision_id))
    return _page(request, kind, decision_id, invalid_status(request), cite_form=form)


@staff_page(allow(*ORIGIN_ROLES), "POST")
def uncite(request: HttpRequest, kind: str, decision_id: int) -> HttpResponse:
    form = UnciteForm(request.POST)
    if not form.is_valid():
        raise Http404
    with refused_as_not_found():
        citing(request, citation_remove, kind, decision_id, citation_id=form.cleaned_data["citation"])
    confirm(request, _("Citation removed from the decision"))
    return redirect(_here(kind, decision_id))
