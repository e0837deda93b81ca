"""The coordinator's screen on the quality of services: aggregates per provider (T0), no case data."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from palermo.access.declare import allow
from palermo.accounts.roles import Role
from palermo.assistance.quality import provider_quality

QUALITY_ROLES = (Role.RAPPORTEUR, Role.CASE_MANAGER)


@allow(*QUALITY_ROLES)
@never_cache
def quality(request: HttpRequest) -> HttpResponse:
    return render(request, "assistance/quality.html", {"rows": provider_quality()})
