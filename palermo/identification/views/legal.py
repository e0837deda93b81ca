"""Legal elements, differentiation and age assessment of a case, on one page (narrative, T4: a recorded
read). Those who record assessments get the three forms; the guardian reads."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.db.models import prefetch_related_objects
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache

from palermo.access.declare import allow
from palermo.accounts.active import acting
from palermo.accounts.models import Membership, User
from palermo.cases.child import case_is_child, child_rules_apply, child_rules_explained
from palermo.cases.models import Case
from palermo.cases.services.exploitation_period import case_exploitation_period_set, period_in_words
from palermo.core.concurrency import StaleEdit
from palermo.core.web import form_values, saved
from palermo.identification.forms import (
    AgeAssessmentForm,
    DifferentiationForm,
    ExploitationPeriodForm,
    LegalElementsForm,
)
from palermo.identification.legal import elements_check, exploitation_period
from palermo.identification.models import Act, LegalElements, Means, Purpose
from palermo.identification.roles import ASSESSMENT_READERS
from palermo.identification.selectors import (
    age_assessments_of,
    assessment_case,
    differentiations_of,
    legal_elements_of,
)
from palermo.identification.services.legal import (
    age_assessment_record,
    differentiation_record,
    legal_elements_set,
    may_assess,
)

HISTORY_LIMIT = 50
Saver = Callable[[User, Membership, Case, dict[str, Any]], object]


def _save_elements(user: User, membership: Membership, case: Case, data: dict[str, Any]) -> object:
    elements = form_values(data, "acts", "means", "purposes", "note")
    return legal_elements_set(
        actor=user, membership=membership, case=case, **elements, expected_version=data.get("version")
    )


def _save_differentiation(user: User, membership: Membership, case: Case, data: dict[str, Any]) -> object:
    situation = form_values(data, "situation", "reasons")
    return differentiation_record(actor=user, membership=membership, case=case, **situation)


def _save_age(user: User, membership: Membership, case: Case, data: dict[str, Any]) -> object:
    return age_assessment_record(actor=user, membership=membership, case=case, **data)


def _save_period(user: User, membership: Membership, case: Case, data: dict[str, Any]) -> object:
    return case_exploitation_period_set(
        actor=user,
        membership=membership,
        case=case,
        began=data["exploitation_began"],
        ended=data["exploitation_ended"],
        country=data.get("exploitation_country", ""),
        sector=data.get("exploitation_sector", ""),
        means_of_control=data.get("means_of_control", []),
        recruiter_relationship=data.get("recruiter_relationship", ""),
        expected_version=data["version"],
    )


# What the page's banner says once each of its forms is saved.
DONE = {
    "period": gettext_lazy("Period of exploitation saved"),
    "elements": gettext_lazy("Legal elements saved"),
    "differentiation": gettext_lazy("Differentiation saved"),
    "age": gettext_lazy("Age assessment saved"),
}

SAVERS: dict[str, Saver] = {
    "period": _save_period,
    "elements": _save_elements,
    "differentiation": _save_differentiation,
    "age": _save_age,
}


def _forms(request: HttpRequest, case: Case, elements: LegalElements | None) -> dict[str, forms.Form]:
    posted = request.POST.get("form") if request.method == "POST" else None
    initial: dict[str, Any] = {}
    if elements is not None:
        initial = {
            "acts": elements.acts,
            "means": elements.means,
            "purposes": elements.purposes,
            "note": elements.note,
            "version": elements.version,
        }
    period = {**exploitation_period(case, no_month=""), "version": case.version}
    return {
        "period": ExploitationPeriodForm(request.POST if posted == "period" else None, initial=period),
        "elements": LegalElementsForm(request.POST if posted == "elements" else None, initial=initial),
        "differentiation": DifferentiationForm(request.POST if posted == "differentiation" else None),
        "age": AgeAssessmentForm(request.POST if posted == "age" else None),
    }


def _submit(
    request: HttpRequest, user: User, membership: Membership, case: Case, name: str, form: forms.Form
) -> HttpResponse | None:
    if not form.is_valid():
        return None
    try:
        if not saved(form, lambda: SAVERS[name](user, membership, case, form.cleaned_data)):
            return None
    except StaleEdit:
        form.add_error(None, _("Someone saved this after you opened it; nothing was saved. Reload the page."))
        return None
    messages.success(request, DONE[name])
    return redirect("identification:legal", case.reference)


def _labels(elements: LegalElements | None) -> dict[str, list[str]]:
    if elements is None:
        return {}
    return {
        "acts": [str(Act(code).label) for code in elements.acts],
        "means": [str(Means(code).label) for code in elements.means],
        "purposes": [str(Purpose(code).label) for code in elements.purposes],
    }


@allow(*ASSESSMENT_READERS)
@never_cache
def legal_page(request: HttpRequest, reference: str) -> HttpResponse:
    user, membership = acting(request)
    case = assessment_case(membership, reference, reason="legal elements")
    # The means of control, read once for the period's words and its form.
    prefetch_related_objects([case], "control_means")
    writable = may_assess(membership, case)
    if request.method == "POST" and (not writable or request.POST.get("form") not in SAVERS):
        raise Http404
    elements = legal_elements_of(case)
    page_forms = _forms(request, case, elements) if writable else {}
    if request.method == "POST":
        name = request.POST["form"]
        done = _submit(request, user, membership, case, name, page_forms[name])
        if done is not None:
            return done
    child = child_rules_apply(case)
    check = elements_check(
        acts=elements.acts if elements else [],
        means=elements.means if elements else [],
        purposes=elements.purposes if elements else [],
        child=child,
    )
    context = {
        "case": case,
        "child": child,
        "child_now": case_is_child(case),
        "age_used": child_rules_explained(case),
        "period": period_in_words(case),
        "elements": elements,
        "element_labels": _labels(elements),
        "check": check,
        "differentiations": differentiations_of(case)[:HISTORY_LIMIT],
        "age_assessments": age_assessments_of(case)[:HISTORY_LIMIT],
        "forms": page_forms,
    }
    return render(request, "identification/legal.html", context)
