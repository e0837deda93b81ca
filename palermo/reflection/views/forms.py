"""The reflection section's forms, fetched when opened rather than rendered with every case page: registered
with the case page's lazy forms (palermo.cases.views.case_forms) from the app's ready(), served at
`cases:form` as the bare form for HTMX and as a page of their own without script. Who may open a form is who
may submit it; anyone else gets 404. The forms post to the section's endpoints (reflection.views.section).
"""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest
from django.utils.functional import Promise, lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from palermo.access.policy import can_write
from palermo.access.tiers import Tier
from palermo.accounts.active import acting
from palermo.cases.models import Case
from palermo.cases.web import Builder, CaseForm
from palermo.core.days import today
from palermo.core.rulebooks import rulebook
from palermo.reflection.forms import EndEarlyForm, EntitlementForm, ExtendForm
from palermo.reflection.models import EntitlementKind, ReflectionPeriod
from palermo.reflection.selectors import entitlement_of, period_of
from palermo.reflection.services.common import may_change_period, may_record_entitlements
from palermo.reflection.services.periods import is_running

SECTION = "reflection"
ENTITLEMENT_FORM_PREFIX = "reflection-entitlement-"  # + the entitlement's kind: one form per row


def may_change_now(request: HttpRequest, case: Case, period: ReflectionPeriod) -> bool:
    _user, membership = acting(request)
    return not period.ended_early and is_running(period) and may_change_period(membership, case)


def may_extend_now(request: HttpRequest, case: Case, period: ReflectionPeriod) -> bool:
    return may_change_now(request, case, period) and rulebook().reflection.extendable


def entitlement_form(
    membership: Any, case: Case, kind: str, data: Any = None, **kwargs: Any
) -> EntitlementForm:
    return EntitlementForm(data, kind=kind, with_note=can_write(membership, case, Tier.NARRATIVE), **kwargs)


def _period(case: Case) -> ReflectionPeriod:
    """The case's period; no period, no form."""
    period = period_of(case)
    if period is None:
        raise Http404
    period.case = case
    return period


def _extend(request: HttpRequest, case: Case, target: int | None) -> dict[str, Any]:
    period = _period(case)
    if not may_extend_now(request, case, period):
        raise Http404
    return {"form": ExtendForm(initial={"version": period.version})}


def _end(request: HttpRequest, case: Case, target: int | None) -> dict[str, Any]:
    period = _period(case)
    if not may_change_now(request, case, period):
        raise Http404
    return {"form": EndEarlyForm(initial={"version": period.version, "on": today()})}


def _entitlement(kind: str) -> Builder:
    def build(request: HttpRequest, case: Case, target: int | None) -> dict[str, Any]:
        _user, membership = acting(request)
        if not may_record_entitlements(membership, case):
            raise Http404
        item = entitlement_of(_period(case), kind)
        initial = {"status": item.status, "on": item.status_on, "version": item.version}
        return {"form": entitlement_form(membership, case, kind, initial=initial), "kind": kind}

    return build


def _record(label: str | Promise) -> str:
    # The same words as the section's summary for the row ("Record: %(title)s").
    return gettext("Record: %(title)s") % {"title": label}


record_title = lazy(_record, str)


def case_forms() -> dict[str, CaseForm]:
    """The section's forms by their name on the case page (prefixed with the area: names are shared)."""
    forms = {
        "reflection-extend": CaseForm(
            _("Extend the period"), "reflection/forms/extend.html", SECTION, _extend
        ),
        "reflection-end": CaseForm(_("End the period early"), "reflection/forms/end.html", SECTION, _end),
    }
    for kind in EntitlementKind:
        forms[ENTITLEMENT_FORM_PREFIX + kind.value] = CaseForm(
            record_title(kind.label), "reflection/forms/entitlement.html", SECTION, _entitlement(kind.value)
        )
    return forms
