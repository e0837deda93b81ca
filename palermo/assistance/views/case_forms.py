"""The assistance section's forms, folded away on the case page and fetched when opened.

Each is registered with the case page's form registry (palermo.cases.views.case_forms) from AppConfig.ready():
the section renders only a <details> for it, so viewing the section builds no service directory, no list of
the case team and no form. The forms post to the same endpoints as before; who may open a form is who may
submit it (anyone else gets 404).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import Http404, HttpRequest
from django.utils.translation import gettext_lazy as _

from palermo.access.policy import can_write
from palermo.access.tiers import Tier
from palermo.accounts.active import acting
from palermo.accounts.models import Membership
from palermo.assistance import selectors
from palermo.assistance.forms import (
    AssessmentForm,
    FeedbackForm,
    PlacementEndForm,
    PlacementForm,
    PlanCreateForm,
    PlanServiceForm,
    ReferralForm,
)
from palermo.assistance.models import ServiceKind
from palermo.assistance.services import plans
from palermo.assistance.services.placements import may_place
from palermo.assistance.services.referrals import may_refer
from palermo.assistance.views.common import AREA
from palermo.cases.models import Case
from palermo.cases.web import CaseForm, register_case_form


def _allowed(request: HttpRequest, case: Case, may: Any) -> Membership:
    """The acting membership, if it may use the form; 404 otherwise, as for anything not there."""
    _user, membership = acting(request)
    if not may(membership, case):
        raise Http404
    return membership


def _target(target: int | None) -> int:
    if target is None:
        raise Http404
    return target


def may_give_feedback(membership: Membership, case: Case) -> bool:
    """The person's feedback on a service is narrative (T4), recorded by the case team."""
    return can_write(membership, case, Tier.NARRATIVE)


def accommodation_for(case: Case) -> Any:
    return selectors.services_for_case(case).filter(kind=ServiceKind.SAFE_ACCOMMODATION)


def _assessment(request: HttpRequest, case: Case, target: int | None) -> dict[str, Any]:
    _allowed(request, case, plans.may_plan)
    return {"form": AssessmentForm()}


def _plan(request: HttpRequest, case: Case, target: int | None) -> dict[str, Any]:
    _allowed(request, case, plans.may_plan)
    return {"form": PlanCreateForm(staff=selectors.case_staff(case))}


def _plan_service(request: HttpRequest, case: Case, target: int | None) -> dict[str, Any]:
    _allowed(request, case, plans.may_plan)
    plan = selectors.plan_for(case, _target(target))
    return {"form": PlanServiceForm(staff=selectors.case_staff(case)), "plan": plan}


def _form_on(form_class: Callable[..., Any], name: str, record: Any) -> dict[str, Any]:
    """The form acting on one record of the case (`<name>_id`, at the version read), and that record."""
    return {
        "form": form_class(**{f"{name}_id": record.pk}, initial={"version": record.version}),
        name: record,
    }


def _referral(request: HttpRequest, case: Case, target: int | None) -> dict[str, Any]:
    membership = _allowed(request, case, may_refer)
    narrative = can_write(membership, case, Tier.NARRATIVE)
    return {"form": ReferralForm(services=selectors.services_for_case(case), narrative=narrative)}


def _feedback(request: HttpRequest, case: Case, target: int | None) -> dict[str, Any]:
    _allowed(request, case, may_give_feedback)
    return _form_on(FeedbackForm, "referral", selectors.case_referral_for(case, _target(target)))


def _placement(request: HttpRequest, case: Case, target: int | None) -> dict[str, Any]:
    _allowed(request, case, may_place)
    return {"form": PlacementForm(services=accommodation_for(case))}


def _placement_end(request: HttpRequest, case: Case, target: int | None) -> dict[str, Any]:
    _allowed(request, case, may_place)
    return _form_on(PlacementEndForm, "placement", selectors.case_placement_for(case, _target(target)))


FORMS: dict[str, CaseForm] = {
    "assistance-assessment": CaseForm(
        _("Record a needs assessment"), "assistance/forms/assessment.html", AREA, _assessment
    ),
    "assistance-plan": CaseForm(_("Draw up the plan"), "assistance/forms/plan.html", AREA, _plan),
    "assistance-plan-service": CaseForm(
        _("Add a service to the plan"), "assistance/forms/plan_service.html", AREA, _plan_service
    ),
    "assistance-referral": CaseForm(
        _("Refer to a service"), "assistance/forms/referral.html", AREA, _referral
    ),
    "assistance-feedback": CaseForm(
        _("The person's feedback"), "assistance/forms/feedback.html", AREA, _feedback
    ),
    "assistance-placement": CaseForm(
        _("Place in safe accommodation"), "assistance/forms/placement.html", AREA, _placement
    ),
    "assistance-placement-end": CaseForm(
        _("End the stay"), "assistance/forms/placement_end.html", AREA, _placement_end
    ),
}


def register_forms() -> None:
    for name, form in FORMS.items():
        register_case_form(name, form)
