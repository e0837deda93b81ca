"""The assistance section of the case page: needs assessment, the plan, referrals and accommodation.

What shows depends on the viewer's tiers: referrals and stays as case metadata (T1) for everyone on the case,
the address of a stay only with location (T3), the assessment, the plan's content, the person's view and the
specific needs only with narrative (T4). Showing T3/T4 content is audited once per view.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from palermo.access.declare import allow
from palermo.accounts.active import acting
from palermo.assistance import selectors
from palermo.assistance.forms import (
    AssessmentForm,
    ChoiceForm,
    PlanCreateForm,
    PlanEditForm,
    PlanServiceForm,
    VersionForm,
)
from palermo.assistance.models import AssistancePlan, ReferralStatus
from palermo.assistance.services import plans
from palermo.assistance.services.placements import may_place
from palermo.assistance.services.referrals import may_refer
from palermo.assistance.views.case_forms import may_give_feedback
from palermo.assistance.views.common import (
    AREA,
    SECTION_ANCHOR,
    apply_at_version,
    apply_to_form,
    refused_form,
)
from palermo.cases.models import Case
from palermo.cases.web import CASE_ROLES, render_conflict, render_section, section_changed, visible_case
from palermo.core.concurrency import StaleEdit


def section_context(request: HttpRequest, case: Case, tiers: frozenset[int]) -> dict[str, Any]:
    """What the section shows, and which of its forms the viewer may open. The forms themselves are built only
    when opened (views/case_forms.py), or handed back bound by a refused post."""
    _user, membership = acting(request)
    narrative, location = 4 in tiers, 3 in tiers
    shown = selectors.case_assistance_shown(case, membership, tiers)
    referrals, placements, plan, assessment = shown.referrals, shown.placements, shown.plan, shown.assessment
    context: dict[str, Any] = {
        "assistance_referrals": referrals,
        "assistance_placements": placements,
        "assistance_plan": plan,
        "assistance_assessment": assessment,
        "assistance_narrative": narrative,
        "assistance_location": location,
        "assistance_may_refer": may_refer(membership, case),
        "assistance_may_place": may_place(membership, case),
        "assistance_may_plan": plans.may_plan(membership, case),
        "assistance_may_give_feedback": may_give_feedback(membership, case),
        "assistance_ended": (ReferralStatus.COMPLETED, ReferralStatus.CLOSED),
    }
    return context


@allow(*CASE_ROLES)
@never_cache
@require_http_methods(["GET"])
def case_section(request: HttpRequest, reference: str) -> HttpResponse:
    """The assistance partial for HTMX, or the case page; the deadline screen links here."""
    case, tiers = visible_case(request, reference)
    return render_section(request, case, tiers, AREA)


@allow(*CASE_ROLES)
@never_cache
@require_POST
def assessment_add(request: HttpRequest, reference: str) -> HttpResponse:
    case, tiers = visible_case(request, reference)
    user, membership = acting(request)
    form = AssessmentForm(request.POST)
    if form.is_valid() and apply_to_form(
        form,
        lambda: plans.assessment_record(
            actor=user,
            membership=membership,
            case=case,
            needs=form.cleaned_data["needs"],
            urgent=form.cleaned_data["urgent"],
            summary=form.cleaned_data["summary"],
        ),
    ):
        return section_changed(request, case, tiers, AREA)
    return refused_form(request, case, tiers, "assistance_assessment_form", form)


@allow(*CASE_ROLES)
@never_cache
@require_POST
def plan_add(request: HttpRequest, reference: str) -> HttpResponse:
    case, tiers = visible_case(request, reference)
    user, membership = acting(request)
    form = PlanCreateForm(request.POST, staff=selectors.case_staff(case))
    if form.is_valid():
        data = form.cleaned_data
        if apply_to_form(
            form,
            lambda: plans.plan_create(
                actor=user,
                membership=membership,
                case=case,
                goals=data["goals"],
                actions=data["actions"],
                person_view=data["person_view"],
                review_on=data["review_on"],
                planned_end=data["planned_end"],
                responsible=data["responsible"],
                services=data["services"],
                assessment=selectors.latest_assessment(case),
            ),
        ):
            return section_changed(request, case, tiers, AREA)
    return refused_form(request, case, tiers, "assistance_plan_form", form)


def _plan_edit_page(
    request: HttpRequest, case: Case, plan: AssistancePlan, form: PlanEditForm, status: int = 200
) -> HttpResponse:
    return render(
        request, "assistance/plan_edit.html", {"case": case, "plan": plan, "form": form}, status=status
    )


@allow(*CASE_ROLES)
@never_cache
@require_http_methods(["GET", "POST"])
def plan_edit(request: HttpRequest, reference: str, plan_id: int) -> HttpResponse:
    case, tiers = visible_case(request, reference)
    user, membership = acting(request)
    if not plans.may_plan(membership, case):
        return render_section(request, case, tiers, AREA, status=403)
    plan = selectors.plan_for(case, plan_id)
    if request.method == "GET":
        selectors.plan_shown(case, membership, plan)
        initial = {
            "goals": plan.goals,
            "actions": plan.actions,
            "person_view": plan.person_view,
            "review_on": plan.review_on,
            "planned_end": plan.planned_end,
            "responsible": plan.responsible_id,
            "version": plan.version,
        }
        return _plan_edit_page(
            request, case, plan, PlanEditForm(initial=initial, staff=selectors.case_staff(case))
        )
    form = PlanEditForm(request.POST, staff=selectors.case_staff(case))
    if not form.is_valid():
        return _plan_edit_page(request, case, plan, form, status=400)
    data = form.cleaned_data
    try:
        done = apply_to_form(
            form,
            lambda: plans.plan_update(
                actor=user,
                membership=membership,
                plan=plan,
                expected_version=data["version"],
                goals=data["goals"],
                actions=data["actions"],
                person_view=data["person_view"],
                review_on=data["review_on"],
                planned_end=data["planned_end"],
                responsible=data["responsible"] or plan.responsible,
            ),
        )
    except StaleEdit as stale:
        current: AssistancePlan = stale.current  # type: ignore[assignment]
        return render_conflict(
            request,
            title=str(_("This plan was changed while you were editing it")),
            rows=[
                {"label": _("Goals"), "yours": data["goals"], "current": current.goals},
                {"label": _("Actions"), "yours": data["actions"], "current": current.actions},
                {
                    "label": _("The person's own view"),
                    "yours": data["person_view"],
                    "current": current.person_view,
                },
            ],
            retry_action=reverse("assistance:plan_edit", args=[case.reference, plan.pk]),
            retry_fields={
                **{k: v for k, v in request.POST.items() if k != "csrfmiddlewaretoken"},
                "version": current.version,
            },
            back_url=reverse("cases:detail", args=[case.reference]) + SECTION_ANCHOR,
        )
    if not done:
        return _plan_edit_page(request, case, plan, form, status=400)
    return section_changed(request, case, tiers, AREA)


@allow(*CASE_ROLES)
@never_cache
@require_POST
def plan_close(request: HttpRequest, reference: str, plan_id: int) -> HttpResponse:
    case, tiers = visible_case(request, reference)
    user, membership = acting(request)
    plan = selectors.plan_for(case, plan_id)
    form = VersionForm(request.POST)
    if form.is_valid() and apply_at_version(
        form,
        lambda: plans.plan_close(
            actor=user, membership=membership, plan=plan, expected_version=form.cleaned_data["version"]
        ),
    ):
        return section_changed(request, case, tiers, AREA)
    return refused_form(request, case, tiers, "assistance_plan_error", form)


@allow(*CASE_ROLES)
@never_cache
@require_POST
def plan_service_add(request: HttpRequest, reference: str, plan_id: int) -> HttpResponse:
    case, tiers = visible_case(request, reference)
    user, membership = acting(request)
    plan = selectors.plan_for(case, plan_id)
    form = PlanServiceForm(request.POST, staff=selectors.case_staff(case))
    if form.is_valid() and apply_to_form(
        form,
        lambda: plans.plan_service_add(
            actor=user,
            membership=membership,
            plan=plan,
            kind=form.cleaned_data["kind"],
            responsible=form.cleaned_data["responsible"],
        ),
    ):
        return section_changed(request, case, tiers, AREA)
    return refused_form(request, case, tiers, "assistance_plan_service_form", form)


@allow(*CASE_ROLES)
@never_cache
@require_POST
def plan_choice(request: HttpRequest, reference: str, item_id: int) -> HttpResponse:
    """The person agrees to a service of the plan, or refuses it."""
    case, tiers = visible_case(request, reference)
    user, membership = acting(request)
    item = selectors.plan_service_for(case, item_id)
    form = ChoiceForm(request.POST)
    if form.is_valid() and apply_to_form(
        form,
        lambda: plans.plan_service_choice(
            actor=user, membership=membership, item=item, choice=form.cleaned_data["choice"]
        ),
    ):
        return section_changed(request, case, tiers, AREA)
    return refused_form(request, case, tiers, "assistance_plan_error", form)
