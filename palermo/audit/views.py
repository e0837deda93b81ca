"""The DPO's screen: the audit log filtered by case, user, action and time, and its export as CSV."""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator

from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.cache import never_cache

from palermo.access.declare import allow
from palermo.accounts.active import acting
from palermo.accounts.roles import Role
from palermo.audit.filters import AuditEventFilter
from palermo.audit.models import AuditEvent
from palermo.audit.selectors import audit_events_visible
from palermo.audit.services import audit_export_record
from palermo.core.web import paged

PAGE_SIZE = 50
EXPORT_CHUNK = 2000
EXPORT_COLUMNS = (
    "sequence",
    "time",
    "actor_id",
    "actor",
    "agency_id",
    "role",
    "action",
    "object_type",
    "object_id",
    "case",
    "tier",
    "reason",
    "request_id",
    "prev_hash",
    "hash",
)


def _filtered(request: HttpRequest) -> AuditEventFilter:
    events = audit_events_visible(membership=acting(request).membership)
    return AuditEventFilter(request.GET or None, queryset=events)


@allow(Role.DATA_PROTECTION_OFFICER)
@never_cache
def event_list(request: HttpRequest) -> HttpResponse:
    filters = _filtered(request)
    events = filters.qs if filters.is_valid() or not filters.is_bound else filters.queryset.none()
    page = paged(request, events, PAGE_SIZE)
    return render(request, "audit/event_list.html", {"filter": filters, "page": page})


@allow(Role.DATA_PROTECTION_OFFICER)
@never_cache
def event_export(request: HttpRequest) -> HttpResponse | StreamingHttpResponse:
    """The filtered events as CSV, streamed in chunks; the export is itself recorded first."""
    filters = _filtered(request)
    if filters.is_bound and not filters.is_valid():
        return HttpResponseBadRequest("invalid filters")
    user, membership = acting(request)
    audit_export_record(
        actor=user,
        membership=membership,
        reason=filters.describe() if filters.is_bound else "filters: none",
    )
    rows = _csv_lines(filters.qs.iterator(chunk_size=EXPORT_CHUNK))
    response = StreamingHttpResponse(rows, content_type="text/csv; charset=utf-8")
    stamp = timezone.now().strftime("%Y%m%dT%H%M%SZ")
    response["Content-Disposition"] = f'attachment; filename="audit-events-{stamp}.csv"'
    return response


class _Echo:
    """A file-like object whose write returns the line, so csv.writer can feed a generator."""

    def write(self, value: str) -> str:
        return value


def _safe(value: object) -> str:
    """Neutralise spreadsheet formulas in free text (CSV injection)."""
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def _exported_reason(event: AuditEvent) -> str:
    """The software's own reason. Events written before the chain was keyed (no key id) may carry a reason a
    person typed about a case, in clear: the export, which does not need it, leaves those out. Later events
    keep such text in their sealed note, which is never exported."""
    return "" if not event.key_id and event.case_id is not None else event.reason


def _row(event: AuditEvent) -> list[str]:
    return [
        str(event.sequence),
        event.time.isoformat(),
        str(event.actor_id or ""),
        _safe(event.actor.get_username() if event.actor else ""),
        str(event.agency_id or ""),
        event.role,
        _safe(event.action),
        _safe(event.object_type),
        _safe(event.object_id),
        event.case.reference if event.case else "",
        str(event.tier),
        _safe(_exported_reason(event)),
        event.request_id,
        event.prev_hash,
        event.hash,
    ]


def _csv_lines(events: Iterable[AuditEvent]) -> Iterator[str]:
    writer = csv.writer(_Echo())
    yield writer.writerow(EXPORT_COLUMNS)
    for event in events:
        yield writer.writerow(_row(event))
