"""The DPO's screen: the audit log filtered by case, user, action and time, and its export as CSV."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.cache import never_cache

from palermo.access.declare import allow
from palermo.accounts.active import acting
from palermo.accounts.roles import Role
from palermo.audit.export import exported_lines
from palermo.audit.filters import AuditEventFilter
from palermo.audit.selectors import audit_events_visible
from palermo.core.web import paged

PAGE_SIZE = 50


def _filtered(request: HttpRequest) -> AuditEventFilter:
    events = audit_events_visible(membership=acting(request).membership)
    return AuditEventFilter(request.GET or None, queryset=events)


def _listed(request: HttpRequest, filters: AuditEventFilter, status: int = 200) -> HttpResponse:
    events = filters.qs if filters.is_valid() or not filters.is_bound else filters.queryset.none()
    page = paged(request, events, PAGE_SIZE)
    return render(request, "audit/event_list.html", {"filter": filters, "page": page}, status=status)


@allow(Role.DATA_PROTECTION_OFFICER)
@never_cache
def event_list(request: HttpRequest) -> HttpResponse:
    return _listed(request, _filtered(request))


@allow(Role.DATA_PROTECTION_OFFICER)
@never_cache
def event_export(request: HttpRequest) -> HttpResponse | StreamingHttpResponse:
    """The filtered events as CSV, streamed in chunks; the export is itself recorded first. Filters that do
    not read (a date that is no date) export nothing: the log's page comes back with what to correct."""
    filters = _filtered(request)
    if filters.is_bound and not filters.is_valid():
        return _listed(request, filters, status=400)
    user, membership = acting(request)
    reason = filters.describe() if filters.is_bound else "filters: none"
    rows = exported_lines(filters.qs, actor=user, membership=membership, reason=reason)
    response = StreamingHttpResponse(rows, content_type="text/csv; charset=utf-8")
    stamp = timezone.now().strftime("%Y%m%dT%H%M%SZ")
    response["Content-Disposition"] = f'attachment; filename="audit-events-{stamp}.csv"'
    return response
