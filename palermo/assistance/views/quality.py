"""The coordinator's screen on the quality of services: aggregates per provider (T0), no case data."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from palermo.access.declare import allow
from palermo.assistance.quality import provider_quality
from palermo.assistance.web import QUALITY_ROLES
from palermo.core.disclosure import minimum_cell


@allow(*QUALITY_ROLES)
@never_cache
def quality(request: HttpRequest) -> HttpResponse:
    rows = [(row, row.cells()) for row in provider_quality()]
    return render(request, "assistance/quality.html", {"rows": rows, "minimum_cell": minimum_cell()})
