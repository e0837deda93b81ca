"""Import (all or nothing, every bad row listed with its line and reason) and export of country
information."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from palermo.access.declare import allow
from palermo.accounts.active import acting
from palermo.core.staff_pages import staff_page
from palermo.core.web import confirm, invalid_status, posted
from palermo.origin.forms import ImportForm
from palermo.origin.services.common import may_edit
from palermo.origin.services.transfer import ImportRefused, entries_import
from palermo.origin.web import EDITOR_ROLES, ORIGIN_ROLES, entries_found, export_response, import_format


@staff_page(allow(*EDITOR_ROLES), "GET", "POST")
def import_view(request: HttpRequest) -> HttpResponse:
    user, membership = acting(request)
    if not may_edit(membership):
        raise Http404
    form = ImportForm(posted(request), request.FILES or None)
    problems = []
    if request.method == "POST" and form.is_valid():
        sent = form.cleaned_data["file"]
        kind = form.cleaned_data["format"] or import_format(sent.name or "")
        try:
            created = entries_import(actor=user, membership=membership, content=sent.read(), form=kind)
        except ImportRefused as refused:
            problems = refused.problems
            form.add_error(
                None, _("Nothing was imported: %(count)d problems in the file.") % {"count": len(problems)}
            )
            created = None
        if created is not None:
            confirm(request, _("%(count)d entries imported") % {"count": len(created)})
            return redirect(reverse("origin:entries"))
    status = invalid_status(request) if request.method == "POST" else 200
    return render(request, "origin/import.html", {"form": form, "problems": problems}, status=status)


@staff_page(allow(*ORIGIN_ROLES), "GET")
def export_view(request: HttpRequest) -> HttpResponse:
    found = entries_found(acting(request).user, request.GET)
    return export_response(found, request.GET.get("format", ""))
