"""The reflection section's forms, fetched when opened rather than rendered with every case page (the case
page's convention): the bare form for HTMX, a page of its own without script. Who may open a form is who may
submit it; anyone else gets 404. The forms post to the section's endpoints (palermo.reflection.views.section).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from palermo.access.declare import allow
from palermo.access.policy import can_write
from palermo.access.tiers import Tier
from palermo.cases.models import Case
from palermo.cases.views.cases import CASE_ROLES, acting, is_htmx, visible_case
from palermo.core.rulebooks import rule
from palermo.reflection.forms import EndEarlyForm, EntitlementForm, ExtendForm
from palermo.reflection.models import EntitlementKind, ReflectionPeriod
from palermo.reflection.selectors import entitlement_of, period_of
from palermo.reflection.services.common import may_change_period, may_record_entitlements, today
from palermo.reflection.services.periods import is_running

Builder = Callable[[HttpRequest, Case, ReflectionPeriod, str], dict[str, Any]]


@dataclass(frozen=True)
class PeriodForm:
    title: str | Promise
    template: str
    build: Builder  # the template's context; raises Http404 for someone who may not use the form


def may_change_now(request: HttpRequest, case: Case, period: ReflectionPeriod) -> bool:
    _user, membership = acting(request)
    return not period.ended_early and is_running(period) and may_change_period(membership, case)


def may_extend_now(request: HttpRequest, case: Case, period: ReflectionPeriod) -> bool:
    return may_change_now(request, case, period) and bool(rule("reflection.extendable"))


def _extend(request: HttpRequest, case: Case, period: ReflectionPeriod, name: str) -> dict[str, Any]:
    if not may_extend_now(request, case, period):
        raise Http404
    return {"form": ExtendForm(initial={"version": period.version})}


def _end(request: HttpRequest, case: Case, period: ReflectionPeriod, name: str) -> dict[str, Any]:
    if not may_change_now(request, case, period):
        raise Http404
    return {"form": EndEarlyForm(initial={"version": period.version, "on": today()})}


def entitlement_form(
    membership: Any, case: Case, kind: str, data: Any = None, **kwargs: Any
) -> EntitlementForm:
    return EntitlementForm(data, kind=kind, with_note=can_write(membership, case, Tier.NARRATIVE), **kwargs)


def _entitlement(request: HttpRequest, case: Case, period: ReflectionPeriod, name: str) -> dict[str, Any]:
    _user, membership = acting(request)
    if not may_record_entitlements(membership, case):
        raise Http404
    item = entitlement_of(period, name)
    initial = {"status": item.status, "on": item.status_on, "version": item.version}
    return {"form": entitlement_form(membership, case, name, initial=initial), "kind": name}


FORMS: dict[str, PeriodForm] = {
    "extend": PeriodForm(_("Extend the period"), "reflection/forms/extend.html", _extend),
    "end": PeriodForm(_("End the period early"), "reflection/forms/end.html", _end),
    **{
        kind.value: PeriodForm(kind.label, "reflection/forms/entitlement.html", _entitlement)
        for kind in EntitlementKind
    },
}


@allow(*CASE_ROLES)
@never_cache
@require_GET
def reflection_form(request: HttpRequest, reference: str, name: str) -> HttpResponse:
    entry = FORMS.get(name)
    if entry is None:
        raise Http404
    case, _tiers = visible_case(request, reference)
    period = period_of(case)
    if period is None:
        raise Http404
    period.case = case
    context = {"case": case, "title": entry.title, **entry.build(request, case, period, name)}
    if is_htmx(request):
        return render(request, entry.template, context)
    back_url = reverse("cases:detail", args=[case.reference]) + "#section-reflection"
    context.update({"standalone": True, "form_template": entry.template, "back_url": back_url})
    return render(request, "reflection/form_page.html", context)
