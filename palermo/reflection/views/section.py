"""The reflection section of the case page: the period (start, end, days left, extensions), its entitlements
with their statuses and due dates, and the HTMX forms to open, extend, end early and record entitlements.

Dates and statuses are T1 and shown to every case reader; the reasons of extensions and an early end (T2) only
to readers of T2, entitlement notes (T4) only to readers of T4, and showing them is recorded. Each form is
shown only to those the service would let through.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from functools import partial
from typing import Any

from django.core.exceptions import ValidationError
from django.forms import BaseForm
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from palermo.access.tiers import Tier
from palermo.accounts.active import acting
from palermo.cases.facts import share
from palermo.cases.models import Case
from palermo.cases.web import (
    SectionPost,
    render_conflict,
    section_post,
    section_url,
)
from palermo.core.concurrency import already_saved
from palermo.core.web import form_values, refusals_onto
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
# The period's services refuse with reasons about the whole change: shown above the form, not at a field.
_refusals_onto = partial(refusals_onto, by_field=False)


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


@section_post(SECTION, showing_section=True)
def reflection_section(post: SectionPost) -> HttpResponse:
    """GET: the section (or the case page). POST: open the period on request, before a decision."""
    try:
        period = period_request(**post.actor, case=post.case)
    except ValidationError as error:
        return post.refused(reflection_open_errors=error.messages)
    return post.changed(done=_granted(period))


def _day(value: datetime.date) -> str:
    return date_format(value, "j F Y")


def _granted(period: ReflectionPeriod) -> str:
    return _("Reflection period granted until %(date)s") % {"date": _day(period.ends_on)}


def _extended(period: ReflectionPeriod) -> str:
    return _("Reflection period extended until %(date)s") % {"date": _day(period.ends_on)}


def _ended(period: ReflectionPeriod) -> str:
    return _("Reflection period ends early, on %(date)s") % {"date": _day(period.ends_on)}


def _conflict(
    post: SectionPost, title: str, action: str, rows: list[dict[str, Any]], retry: dict[str, Any]
) -> HttpResponse:
    return render_conflict(
        post.request,
        title=title,
        rows=rows,
        retry_action=action,
        retry_fields=retry,
        back_url=section_url(post.case, SECTION),
    )


Held = Callable[[ReflectionPeriod, dict[str, Any]], bool]


def _period_conflict(
    post: SectionPost,
    action: str,
    field: str,
    as_sent: Callable[[Any], Any],
    as_shown: Callable[[Any], str],
    held: tuple[Held, Callable[[ReflectionPeriod], str]],
) -> Callable[[ReflectionPeriod, dict[str, Any]], HttpResponse]:
    """The conflict screen of a change to the period's end by `field`: the end it asked for beside the
    current one, and the form's values (`as_sent`) to submit again against the current version. When the
    period already holds the change (`held`: the same form sent twice), the section says it is done."""

    def screen(current: ReflectionPeriod, data: dict[str, Any]) -> HttpResponse:
        is_held, done = held
        if is_held(current, data):
            return post.changed(done=done(current))
        rows = [{"label": _("Ends"), "yours": as_shown(data[field]), "current": date_format(current.ends_on)}]
        retry = {field: as_sent(data[field]), "reason": data["reason"], "version": current.version}
        return _conflict(
            post,
            str(_("The reflection period was changed while you were editing it")),
            reverse(action, args=[post.case.reference]),
            rows,
            retry,
        )

    return screen


def _period_change(
    form_class: type[BaseForm],
    form_name: str,
    service: Callable[..., object],
    field: str,
    action: str,
    *,
    as_sent: Callable[[Any], Any],
    as_shown: Callable[[Any], str],
    done: Callable[[ReflectionPeriod], str],
    held: Held,
) -> Callable[..., HttpResponse]:
    """The view of a change to the period's end by `field` (with a reason, at the version read)."""

    @section_post(SECTION)
    def change(post: SectionPost) -> HttpResponse:
        period = required_period(post.case)
        return post.submit(
            form_class(post.request.POST),
            form_name,
            lambda data: service(
                **post.actor, period=period, **form_values(data, field, "reason", version=True)
            ),
            apply=_refusals_onto,
            on_stale=_period_conflict(post, action, field, as_sent, as_shown, (held, done)),
            done=done,
        )

    return change


period_extend_view = _period_change(
    ExtendForm,
    "reflection_extend_form",
    period_extend,
    "days",
    "reflection:extend",
    as_sent=lambda days: days,
    as_shown=lambda days: f"+{days}",
    done=_extended,
    held=lambda current, data: (
        current.version == data["version"] + 1
        and already_saved(
            current.extensions.order_by("-pk").first() or current, form_values(data, "days", "reason")
        )
    ),
)
period_end_view = _period_change(
    EndEarlyForm,
    "reflection_end_form",
    period_end_early,
    "on",
    "reflection:end",
    as_sent=datetime.date.isoformat,
    as_shown=date_format,
    done=_ended,
    held=lambda current, data: already_saved(current, {"ended_early_on": data["on"]}),
)


@section_post(SECTION)
def entitlement_view(post: SectionPost, kind: str) -> HttpResponse:
    entitlement = entitlement_of(required_period(post.case), kind)
    form = entitlement_form(post.membership, post.case, kind, post.request.POST)
    with_note = "note" in form.fields

    def conflict(current: Entitlement, data: dict[str, Any]) -> HttpResponse:
        label = EntitlementStatus(current.status).label
        rows = [{"label": _("Status"), "yours": EntitlementStatus(data["status"]).label, "current": label}]
        if already_saved(current, {"status": data["status"], "status_on": data["on"]}):
            return post.changed(done=_said(current))
        retry = {key: value for key, value in data.items() if value not in (None, "")}
        retry["version"] = current.version
        return _conflict(
            post,
            str(_("This entitlement was changed while you were editing it")),
            reverse("reflection:entitlement", args=[post.case.reference, kind]),
            rows,
            retry,
        )

    return post.submit(
        form,
        "reflection_failed_form",
        lambda data: entitlement_update(
            **post.actor,
            entitlement=entitlement,
            **form_values(data, "status", "on", version=True),
            note=data["note"] if with_note else None,
        ),
        apply=_refusals_onto,
        on_stale=conflict,
        refused_with={"reflection_failed_kind": kind},
        done=_said,
    )


def _said(entitlement: Entitlement) -> str:
    return _("%(entitlement)s: %(status)s") % {
        "entitlement": entitlement.get_kind_display(),
        "status": entitlement.get_status_display(),
    }
