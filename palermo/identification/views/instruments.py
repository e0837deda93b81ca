"""Indicator instruments: reference data any member may read (no case, no person), and the operator's page
that installs one from its CSV file (all or nothing, every bad line listed)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from palermo.access.declare import allow, any_member
from palermo.accounts.active import acting
from palermo.core.staff_pages import staff_page
from palermo.core.web import confirm, invalid_status, paged, posted
from palermo.identification.forms import InstrumentForm
from palermo.identification.instrument_files import InstrumentFileError
from palermo.identification.roles import INSTRUMENT_INSTALLERS
from palermo.identification.selectors import instrument_with_indicators, instruments_all
from palermo.identification.services.instruments import instrument_install

PAGE_SIZE = 50


@any_member
def instrument_list(request: HttpRequest) -> HttpResponse:
    page = paged(request, instruments_all(), PAGE_SIZE)
    may_install = acting(request).membership.role in INSTRUMENT_INSTALLERS
    return render(request, "identification/instrument_list.html", {"page": page, "may_install": may_install})


@any_member
def instrument_detail(request: HttpRequest, instrument_id: int) -> HttpResponse:
    instrument = get_object_or_404(instrument_with_indicators(), pk=instrument_id)
    return render(request, "identification/instrument_detail.html", {"instrument": instrument})


@staff_page(allow(*INSTRUMENT_INSTALLERS), "GET", "POST")
def instrument_new(request: HttpRequest) -> HttpResponse:
    form = InstrumentForm(posted(request), request.FILES or None)
    problems = []
    if request.method == "POST" and form.is_valid():
        try:
            instrument = instrument_install(actor=acting(request).user, sent=form.cleaned_data)
        except InstrumentFileError as refused:
            for error in refused.errors:
                if error.field:
                    form.add_error(error.field, error.reason)
                else:
                    problems.append(error)
            if problems:
                count = {"count": len(problems)}
                form.add_error("file", _("Nothing was installed: %(count)d problems in the file.") % count)
        else:
            confirm(request, _("Indicator list installed"))
            return redirect("identification:instrument", instrument.pk)
    status = invalid_status(request) if request.method == "POST" else 200
    context = {"form": form, "problems": problems}
    return render(request, "identification/instrument_new.html", context, status=status)
