from __future__ import annotations

import hmac

from django.conf import settings
from django.db import connection
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from palermo.core import iso
from palermo.core.forms import TYPE_AHEAD_FROM
from palermo.core.monitoring import metrics_response, readiness_problems


@never_cache
def health(request: HttpRequest) -> HttpResponse:
    """Liveness and database reachability, for load balancers. Says nothing else. Open to all: the URLconf
    declares it public (core imports no domain app, palermo.access among them)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


@never_cache
def ready(request: HttpRequest) -> HttpResponse:
    """Readiness: 200 when this process can serve (database, migrations, keys, document store), else 503
    naming the failed checks. Public like `health`; it says nothing about any record."""
    problems = readiness_problems()
    return JsonResponse(
        {"status": "not ready" if problems else "ready", "failed": problems}, status=503 if problems else 200
    )


@never_cache
def metrics(request: HttpRequest) -> HttpResponse:
    """Prometheus metrics, for a scraper holding PALERMO_METRICS_TOKEN (a bearer token); 404 when no token is
    configured, so an instance never exposes them by accident."""
    token = str(getattr(settings, "PALERMO_METRICS_TOKEN", ""))
    given = request.headers.get("Authorization", "").removeprefix("Bearer ").strip()
    if not token or not hmac.compare_digest(given.encode(), token.encode()):
        raise Http404
    return metrics_response()


@require_GET
def regions(request: HttpRequest) -> HttpResponse:
    """The regions of `?country=` (alpha-3) as a region field lists them, in the reader's language: what
    app.js puts in the list when the reader chooses another country. None for a code that is not a
    country. For any member (the URLconf says so): it holds no record."""
    choices = iso.region_choices(iso.normalise_country(request.GET.get("country", "")) or "")
    return JsonResponse({"regions": choices, "type_ahead": len(choices) + 1 >= TYPE_AHEAD_FROM})
