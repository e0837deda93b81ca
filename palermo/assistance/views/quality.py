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
    context = {"rows": provider_quality(), "minimum_cell": minimum_cell()}
    return render(request, "assistance/quality.html", context)
