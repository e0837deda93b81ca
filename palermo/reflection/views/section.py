"""The reflection section of the case page: the period (start, end, days left, extensions), its entitlements
with their statuses and due dates, and the HTMX forms to open, extend, end early and record entitlements.

Dates and statuses are T1 and shown to every case reader; the reasons of extensions and an early end (T2) only
to readers of T2, entitlement notes (T4) only to readers of T4, and showing them is recorded. Each form is
shown only to those the service would let through.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from palermo.access.declare import allow
from palermo.access.tiers import Tier
from palermo.accounts.active import acting
from palermo.cases.facts import share
from palermo.cases.models import Case
from palermo.cases.web import CASE_ROLES, render_conflict, render_section, section_changed, visible_case
from palermo.core.concurrency import StaleEdit
from palermo.core.web import errors_into, invalid_status
from palermo.reflection.forms import EndEarlyForm, ExtendForm
from palermo.reflection.models import Entitlement, EntitlementStatus, ReflectionPeriod
from palermo.reflection.selectors import (
    PERIOD_READ,
    days_left,
    entitlement_of,
    ordered_entitlements,
    period_of,
    period_shown,
    required_period,
)
from palermo.reflection.services.common import REASON_TIER, may_open_period, may_record_entitlements
from palermo.reflection.services.entitlements import entitlement_update
from palermo.reflection.services.periods import is_running, period_end_early, period_extend, period_request
from palermo.reflection.views.forms import entitlement_form, may_change_now, may_extend_now

SECTION = "reflection"


def section_context(request: HttpRequest, case: Case, tiers: frozenset[int]) -> dict[str, Any]:
    """The period as the viewer may see it, and which of its forms they may open (fetched when opened)."""
    _user, membership = acting(request)
    period = share(case, PERIOD_READ, period_of(case))
    if period is None:
        return {"reflection": None, "reflection_may_open": may_open_period(membership, case)}
    period.case = case
    period_shown(membership, period, tiers)
    running = not period.ended_early and is_running(period)
    return {
        "reflection": period,
        "reflection_days_left": days_left(period),
        "reflection_running": running,
        "reflection_show_reasons": REASON_TIER in tiers,
        "reflection_show_notes": Tier.NARRATIVE in tiers,
        "reflection_extensions": list(period.extensions.all()),
        "reflection_entitlements": ordered_entitlements(period),
        "reflection_may_record": may_record_entitlements(membership, case),
        "reflection_may_extend": may_extend_now(request, case, period),
        "reflection_may_end": may_change_now(request, case, period),
    }


def _refused(request: HttpRequest, case: Case, tiers: frozenset[int], **forms: Any) -> HttpResponse:
    return render_section(request, case, tiers, SECTION, status=invalid_status(request), **forms)


@allow(*CASE_ROLES)
@never_cache
@require_http_methods(["GET", "POST"])
def reflection_section(request: HttpRequest, reference: str) -> HttpResponse:
    """GET: the section (or the case page). POST: open the period on request, before a decision."""
    case, tiers = visible_case(request, reference)
    if request.method == "GET":
        return render_section(request, case, tiers, SECTION)
    user, membership = acting(request)
    try:
        period_request(actor=user, membership=membership, case=case)
    except ValidationError as error:
        return _refused(request, case, tiers, reflection_open_errors=error.messages)
    return section_changed(request, case, tiers, SECTION)


def _conflict(
    request: HttpRequest, case: Case, action: str, rows: list[dict[str, Any]], retry: dict[str, Any]
) -> HttpResponse:
    return render_conflict(
        request,
        title=str(_("The reflection period was changed while you were editing it")),
        rows=rows,
        retry_action=reverse(action, args=[case.reference]),
        retry_fields=retry,
        back_url=reverse("cases:detail", args=[case.reference]) + "#section-reflection",
    )


@allow(*CASE_ROLES)
@never_cache
@require_POST
def period_extend_view(request: HttpRequest, reference: str) -> HttpResponse:
    case, tiers = visible_case(request, reference)
    user, membership = acting(request)
    period = required_period(case)
    form = ExtendForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            period_extend(
                actor=user,
                membership=membership,
                period=period,
                days=data["days"],
                reason=data["reason"],
                expected_version=data["version"],
            )
        except StaleEdit as stale:
            current: ReflectionPeriod = stale.current  # type: ignore[assignment]
            rows = [{"label": _("Ends"), "yours": f"+{data['days']}", "current": current.ends_on.isoformat()}]
            retry = {"days": data["days"], "reason": data["reason"], "version": current.version}
            return _conflict(request, case, "reflection:extend", rows, retry)
        except ValidationError as error:
            errors_into(form, error, by_field=False)
    if form.errors:
        return _refused(request, case, tiers, reflection_extend_form=form)
    return section_changed(request, case, tiers, SECTION)


@allow(*CASE_ROLES)
@never_cache
@require_POST
def period_end_view(request: HttpRequest, reference: str) -> HttpResponse:
    case, tiers = visible_case(request, reference)
    user, membership = acting(request)
    period = required_period(case)
    form = EndEarlyForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            period_end_early(
                actor=user,
                membership=membership,
                period=period,
                on=data["on"],
                reason=data["reason"],
                expected_version=data["version"],
            )
        except StaleEdit as stale:
            current: ReflectionPeriod = stale.current  # type: ignore[assignment]
            rows = [
                {"label": _("Ends"), "yours": data["on"].isoformat(), "current": current.ends_on.isoformat()}
            ]
            retry = {"on": data["on"].isoformat(), "reason": data["reason"], "version": current.version}
            return _conflict(request, case, "reflection:end", rows, retry)
        except ValidationError as error:
            errors_into(form, error, by_field=False)
    if form.errors:
        return _refused(request, case, tiers, reflection_end_form=form)
    return section_changed(request, case, tiers, SECTION)


@allow(*CASE_ROLES)
@never_cache
@require_POST
def entitlement_view(request: HttpRequest, reference: str, kind: str) -> HttpResponse:
    case, tiers = visible_case(request, reference)
    user, membership = acting(request)
    entitlement = entitlement_of(required_period(case), kind)
    form = entitlement_form(membership, case, kind, request.POST)
    with_note = "note" in form.fields
    if form.is_valid():
        data = form.cleaned_data
        try:
            entitlement_update(
                actor=user,
                membership=membership,
                entitlement=entitlement,
                status=data["status"],
                on=data["on"],
                note=data["note"] if with_note else None,
                expected_version=data["version"],
            )
        except StaleEdit as stale:
            current: Entitlement = stale.current  # type: ignore[assignment]
            label = EntitlementStatus(current.status).label
            rows = [
                {"label": _("Status"), "yours": EntitlementStatus(data["status"]).label, "current": label}
            ]
            retry = {key: value for key, value in data.items() if value not in (None, "")}
            retry["version"] = current.version
            action = reverse("reflection:entitlement", args=[case.reference, kind])
            return render_conflict(
                request,
                title=str(_("This entitlement was changed while you were editing it")),
                rows=rows,
                retry_action=action,
                retry_fields=retry,
                back_url=reverse("cases:detail", args=[case.reference]) + "#section-reflection",
            )
        except ValidationError as error:
            errors_into(form, error, by_field=False)
    if form.errors:
        return _refused(request, case, tiers, reflection_failed_kind=kind, reflection_failed_form=form)
    return section_changed(request, case, tiers, SECTION)
