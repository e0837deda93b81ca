"""Monitoring without personal data (docs/decisions/0045): readiness for the proxy, Prometheus metrics, and
one log line per request with its request id.

Metrics carry view *names* (the URL pattern's name, never a path: a path can hold a case reference), methods,
status codes and counts. Gauges that need a domain app's tables (the audit chain head, the deadline reminder
runs, the retention runs) are registered by those apps with `register_gauge`, since core imports no domain
app. With several gunicorn workers, set PROMETHEUS_MULTIPROC_DIR to an empty directory shared by them
(prometheus_client's multiprocess mode), and each scrape sums every worker's counts.
"""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.multiprocess import MultiProcessCollector

from palermo.core import crypto

log = logging.getLogger("palermo.request")

REQUESTS = Counter(
    "palermo_requests", "Requests answered, by view name, method and status", ["view", "method", "status"]
)
LATENCY = Histogram(
    "palermo_request_seconds",
    "Time to answer a request, by view name",
    ["view"],
    buckets=(0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10),
)


@dataclass(frozen=True)
class Gauge:
    name: str
    help: str
    read: Callable[[], float]


_gauges: list[Gauge] = []


def register_gauge(name: str, help_text: str, read: Callable[[], float]) -> None:
    """A value read from the database at each scrape (a count, an age in seconds, a sequence number)."""
    if all(gauge.name != name for gauge in _gauges):
        _gauges.append(Gauge(name, help_text, read))


def _task_queue() -> tuple[int, float]:
    from django_tasks_db.models import DBTaskResult  # an installed app's model: imported once apps are ready

    waiting = DBTaskResult.objects.ready()
    oldest = waiting.order_by("run_after").values_list("run_after", flat=True).first()
    age = max(0.0, (timezone.now() - oldest).total_seconds()) if oldest else 0.0
    return waiting.count(), age


class _DatabaseGauges:
    def collect(self) -> Iterable[Metric]:
        depth, age = _task_queue()
        yield GaugeMetricFamily("palermo_task_queue_depth", "Tasks due and not yet started", value=depth)
        yield GaugeMetricFamily("palermo_task_queue_oldest_seconds", "Age of the oldest task due", value=age)
        for gauge in _gauges:
            yield GaugeMetricFamily(gauge.name, gauge.help, value=gauge.read())


def metrics_text() -> bytes:
    registry = CollectorRegistry()
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        MultiProcessCollector(registry)  # type: ignore[no-untyped-call]
    else:
        from prometheus_client import REGISTRY

        registry = REGISTRY
    output: bytes = generate_latest(registry)
    gauges = CollectorRegistry()
    gauges.register(_DatabaseGauges())  # type: ignore[arg-type]
    return output + generate_latest(gauges)


def metrics_response() -> HttpResponse:
    return HttpResponse(metrics_text(), content_type=CONTENT_TYPE_LATEST)


class MetricsMiddleware:
    """Counts and times each request under its view name, and logs one line for it (no path, no query)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        started = time.perf_counter()
        response = self.get_response(request)
        elapsed = time.perf_counter() - started
        match = getattr(request, "resolver_match", None)
        view = (match.view_name if match is not None else "") or "unresolved"
        REQUESTS.labels(view, request.method or "", str(response.status_code)).inc()
        LATENCY.labels(view).observe(elapsed)
        log.info(
            "request",
            extra={
                "view": view,
                "method": request.method,
                "status": response.status_code,
                "ms": round(elapsed * 1000, 1),
            },
        )
        return response


def readiness_problems() -> list[str]:
    """What keeps this process from serving: unreachable database, unapplied migrations, unusable keys, an
    unwritable document store. Names of checks only."""
    global _migrated
    problems = []
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        if not _migrated:
            executor = MigrationExecutor(connection)
            _migrated = not executor.migration_plan(executor.loader.graph.leaf_nodes())
        if not _migrated:
            problems.append("migrations")
    except Exception:  # any database failure means not ready
        return ["database"]
    try:
        crypto.key_ring()
    except crypto.KeyRingError:
        problems.append("keys")
    store = Path(settings.DOCUMENT_STORE)
    writable = store if store.exists() else store.parent
    if not getattr(settings, "DOCUMENT_STORAGE", "") and not os.access(writable, os.W_OK):  # or in a bucket
        problems.append("document store")
    return problems


_migrated = False  # once every migration is applied, a process never needs to ask again
