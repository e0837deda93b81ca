"""The rapporteur's pages: the dashboard, each table's download, the compliance indicators and the releases.
Aggregates only (T0); one request per view or filter change, counted in the database."""

from __future__ import annotations

from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import get_language_bidi
from django.utils.translation import gettext as _

from palermo.access.declare import allow
from palermo.accounts.active import acting
from palermo.core.staff_pages import staff_page
from palermo.core.web import errors_into, paged, posted
from palermo.statistics import exports, selectors
from palermo.statistics.chart import draw
from palermo.statistics.compliance import measure
from palermo.statistics.eurostat import eurostat_csv
from palermo.statistics.forms import EurostatForm, LawForm, ReleaseForm
from palermo.statistics.law import law
from palermo.statistics.publication import GROUPS, Parameters, minimum_cell
from palermo.statistics.registry import REGISTRY
from palermo.statistics.services import release_publish
from palermo.statistics.web import STATISTICS_ROLES, Filters

RELEASES_PAGE_SIZE = 25  # releases are yearly: a page holds years of them

FORMATS = {
    "csv": ("text/csv; charset=utf-8", exports.as_csv),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", exports.as_xlsx),
}


@staff_page(allow(*STATISTICS_ROLES), "GET")
def dashboard(request: HttpRequest) -> HttpResponse:
    filters = Filters.read(request.GET)
    board = selectors.dashboard(filters)
    rtl = get_language_bidi()
    context = {
        "board": board,
        "filters": filters,
        "query": urlencode(filters.query()),
        "charts": [(table, draw(table, rtl=rtl)) for table in board.tables + board.outcomes],
        "stages": [(key, REGISTRY.populations[key].label) for key in ("referred", "presumed", "identified")],
        "groups": GROUPS,
    }
    return render(request, "statistics/dashboard.html", context)


@staff_page(allow(*STATISTICS_ROLES), "GET")
def table_download(request: HttpRequest, key: str, format: str) -> HttpResponse:
    if format not in FORMATS:
        raise Http404
    table = selectors.one_table(Filters.read(request.GET), key)
    if table is None:
        raise Http404
    content_type, render_as = FORMATS[format]
    response = HttpResponse(render_as(table), content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{key}.{format}"'
    return response


@staff_page(allow(*STATISTICS_ROLES), "GET")
def compliance(request: HttpRequest) -> HttpResponse:
    threshold = minimum_cell()
    context = {"indicators": measure(timezone.localdate(), threshold), "threshold": threshold}
    return render(request, "statistics/compliance.html", context)


@staff_page(allow(*STATISTICS_ROLES), "GET")
def law_against_the_paper(request: HttpRequest) -> HttpResponse:
    """The rulebook in force (or another, to compare) against each recommendation of the position paper."""
    form = LawForm(request.GET or None, initial={"rulebook": settings.PALERMO_RULEBOOK})
    chosen = form.cleaned_data["rulebook"] if form.is_bound and form.is_valid() else settings.PALERMO_RULEBOOK
    return render(request, "statistics/law.html", {"form": form, "law": law(chosen)})


@staff_page(allow(*STATISTICS_ROLES), "GET", "POST")
def releases(request: HttpRequest) -> HttpResponse:
    user, membership = acting(request)
    form = ReleaseForm(posted(request), initial={"snapshot": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            release = release_publish(
                actor=user,
                membership=membership,
                title=form.cleaned_data["title"],
                parameters=Parameters(**form.parameters(minimum_cell())),
            )
        except ValidationError as refused:
            errors_into(form, refused)
        else:
            messages.success(request, _("The release is published and recorded."))
            return redirect("statistics:release", release.pk)
    context = {
        "form": form,
        "page": paged(request, selectors.releases(), RELEASES_PAGE_SIZE),
        "ledger": selectors.ledger(),
        "budget": selectors.budget(),
    }
    return render(
        request, "statistics/releases.html", context, status=400 if request.method == "POST" else 200
    )


@staff_page(allow(*STATISTICS_ROLES), "GET")
def release_detail(request: HttpRequest, release_id: int) -> HttpResponse:
    release = get_object_or_404(selectors.releases().defer(None), pk=release_id)
    return render(
        request, "statistics/release.html", {"release": release, "tables": selectors.release_tables(release)}
    )


@staff_page(allow(*STATISTICS_ROLES), "GET", "POST")
def eurostat(request: HttpRequest) -> HttpResponse:
    """Eurostat's annual tables for a year: POST publishes (and records) the release and answers its CSV."""
    user, membership = acting(request)
    form = EurostatForm(posted(request))
    if request.method == "POST" and form.is_valid():
        year = form.cleaned_data["year"]
        try:
            text = eurostat_csv(
                actor=user,
                membership=membership,
                year=year,
                snapshot=form.cleaned_data["snapshot"] or timezone.localdate(),
            )
        except ValidationError as refused:
            errors_into(form, refused)
        else:
            response = HttpResponse(text, content_type="text/csv; charset=utf-8")
            response["Content-Disposition"] = f'attachment; filename="eurostat-thb-{year}.csv"'
            return response
    status = 400 if request.method == "POST" else 200
    return render(request, "statistics/eurostat.html", {"form": form}, status=status)
