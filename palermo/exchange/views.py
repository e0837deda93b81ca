"""The exchange page (docs/decisions/0052): upload an HTCDS file to import (a background task, its progress
polled by HTMX), the import's result, and the downloads each role may take."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from palermo.access.declare import allow
from palermo.accounts.active import acting
from palermo.core.staff_pages import staff_page
from palermo.core.web import errors_into, invalid_status, is_htmx, posted
from palermo.exchange import jobs
from palermo.exchange.forms import ImportForm
from palermo.exchange.models import ImportJob
from palermo.exchange.roles import may_export_aggregates, may_export_rows, may_import
from palermo.exchange.web import EUROSTAT_ROLES, EXCHANGE_ROLES, export_response

RECENT = 10


@staff_page(allow(*EXCHANGE_ROLES), "GET", "POST")
def exchange(request: HttpRequest) -> HttpResponse:
    """The page; POST uploads a file to import and goes to its progress."""
    user, membership = acting(request)
    importer = may_import(membership)
    form = ImportForm(posted(request), request.FILES or None) if importer else None
    if request.method == "POST":
        if form is None:
            raise Http404
        if form.is_valid():
            try:
                job = jobs.import_job_start(
                    actor=user,
                    membership=membership,
                    identification_agency=form.cleaned_data["identification_agency"],
                    data=form.cleaned_data["file"].read(),
                )
            except ValidationError as refused:
                errors_into(form, refused, by_field=False)
            else:
                return redirect("exchange:job", job.pk)
    context = {
        "form": form,
        "jobs": ImportJob.objects.defer("sealed_file", "sealed_report").filter(
            started_by=user, membership=membership
        )[:RECENT]
        if importer
        else [],
        "rows": may_export_rows(membership),
        "aggregates": may_export_aggregates(membership),
        "eurostat": membership.role in EUROSTAT_ROLES,
    }
    status = invalid_status(request) if request.method == "POST" else 200
    return render(request, "exchange/exchange.html", context, status=status)


@staff_page(allow(*EXCHANGE_ROLES), "GET")
def job(request: HttpRequest, job_id: int) -> HttpResponse:
    """One import's progress and result (only its starter's); HTMX polls the progress part while it runs."""
    _, membership = acting(request)
    try:
        found = jobs.import_job_for(membership, job_id)
    except ImportJob.DoesNotExist:
        raise Http404 from None
    context = {"job": found, "bad": jobs.bad_rows(found) if found.bad_count else []}
    template = "exchange/job_progress.html" if is_htmx(request) else "exchange/job.html"
    return render(request, template, context)


@staff_page(allow(*EXCHANGE_ROLES), "GET")
def download(request: HttpRequest, kind: str) -> HttpResponse:
    """An export: HTCDS (sealed, the cases the member may read at T2) or CTDC (k-anonymised). Audited."""
    user, membership = acting(request)
    return export_response(user, membership, kind)
