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
from palermo.assistance.views.common import AREA, SECTION_ANCHOR, record_change
from palermo.cases.models import Case
from palermo.cases.web import (
    SectionPost,
    render_conflict,
    render_section,
    section_page,
    section_post,
)
from palermo.core.concurrency import StaleEdit, already_saved
from palermo.core.web import apply_to_form, form_values

# The plan's fields that the create and edit forms and the services name alike.
PLAN_FIELDS = ("goals", "actions", "person_view", "review_on", "planned_end")


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


# The assistance partial for HTMX, or the case page; the deadline screen links here.
case_section = section_page(AREA)


@section_post(AREA)
def assessment_add(post: SectionPost) -> HttpResponse:
    return post.submit(
        AssessmentForm(post.request.POST),
        "assistance_assessment_form",
        lambda data: plans.assessment_record(
            **post.actor, case=post.case, **form_values(data, "needs", "urgent", "summary")
        ),
        done=_("Needs assessment recorded"),
    )


@section_post(AREA)
def plan_add(post: SectionPost) -> HttpResponse:
    case = post.case
    return post.submit(
        PlanCreateForm(post.request.POST, staff=selectors.case_staff(case)),
        "assistance_plan_form",
        lambda data: plans.plan_create(
            **post.actor,
            case=case,
            **form_values(data, *PLAN_FIELDS, "responsible", "services"),
            assessment=selectors.latest_assessment(case),
        ),
        done=_("Assistance plan made"),
    )


def _plan_edit_page(
    request: HttpRequest, case: Case, plan: AssistancePlan, form: PlanEditForm, status: int = 200
) -> HttpResponse:
    return render(
        request, "assistance/plan_edit.html", {"case": case, "plan": plan, "form": form}, status=status
    )


@section_post(AREA, editing=True)
def plan_edit(post: SectionPost, plan_id: int) -> HttpResponse:
    request, case, membership = post.request, post.case, post.membership
    if not plans.may_plan(membership, case):
        return render_section(request, case, post.tiers, AREA, status=403)
    plan = selectors.plan_for(case, plan_id)
    if request.method == "GET":
        selectors.plan_shown(case, membership, plan)
        initial = {name: getattr(plan, name) for name in (*PLAN_FIELDS, "version")}
        initial["responsible"] = plan.responsible_id
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
                **post.actor,
                plan=plan,
                **form_values(data, *PLAN_FIELDS, version=True),
                responsible=data["responsible"] or plan.responsible,
            ),
        )
    except StaleEdit as stale:
        current: AssistancePlan = stale.current  # type: ignore[assignment]
        if already_saved(current, form_values(data, *PLAN_FIELDS)):
            return post.changed(done=_("Assistance plan changed"))
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
    return post.changed(done=_("Assistance plan changed"))


plan_close = record_change(
    selectors.plan_for,
    "plan",
    VersionForm,
    "assistance_plan_error",
    plans.plan_close,
    done=_("Assistance plan closed"),
)


@section_post(AREA)
def plan_service_add(post: SectionPost, plan_id: int) -> HttpResponse:
    plan = selectors.plan_for(post.case, plan_id)
    return post.submit(
        PlanServiceForm(post.request.POST, staff=selectors.case_staff(post.case)),
        "assistance_plan_service_form",
        lambda data: plans.plan_service_add(
            **post.actor, plan=plan, **form_values(data, "kind", "responsible")
        ),
        done=_("Service added to the plan"),
    )


@section_post(AREA)
def plan_choice(post: SectionPost, item_id: int) -> HttpResponse:
    """The person agrees to a service of the plan, or refuses it."""
    item = selectors.plan_service_for(post.case, item_id)
    return post.submit(
        ChoiceForm(post.request.POST),
        "assistance_plan_error",
        lambda data: plans.plan_service_choice(**post.actor, item=item, choice=data["choice"]),
        done=_("The person's choice is recorded"),
    )
