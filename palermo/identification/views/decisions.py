"""Decisions: a case's decisions and what is still due (T1, every role working on the case), the reasons
(T4, read on the record), the authority's forms, and the authority's list of cases awaiting a decision."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from palermo.access.declare import allow
from palermo.access.policy import can_read
from palermo.access.selectors import case_for
from palermo.access.tiers import Tier
from palermo.accounts.models import Membership
from palermo.cases.models import Case
from palermo.identification.forms import DecisionForm, ReviewForm
from palermo.identification.models import IdentificationDecision, ScreeningStatus
from palermo.identification.roles import DECIDERS, DECISION_READERS
from palermo.identification.selectors import (
    awaiting_due_at,
    cases_awaiting_decision,
    decision_case,
    decision_on,
    decisions_of,
    pending_decisions,
    screenings_of,
    standing_decisions,
)
from palermo.identification.services.decisions import (
    DecisionInput,
    current_decision,
    decision_review,
    decision_take,
    may_decide,
)
from palermo.identification.views.common import acting, refused_as_not_found

PAGE_SIZE = 50


def _reasons_visible(membership: Membership, case: Case) -> bool:
    """Reasons are T4: shown to those who may read narrative, and the read is recorded."""
    if not can_read(membership, case, Tier.NARRATIVE):
        return False
    case_for(membership, case.reference, Tier.NARRATIVE, reason="decision reasons")
    return True


def _open_kinds(case: Case, decisions: list[IdentificationDecision]) -> list[str]:
    return [pending.kind for pending in pending_decisions(case, decisions)]


def _decision_form(request: HttpRequest, case: Case, kinds: list[str]) -> DecisionForm:
    screenings = screenings_of(case).filter(status=ScreeningStatus.COMPLETE)
    return DecisionForm(request.POST or None, kinds=kinds, screenings=screenings)


def _take(request: HttpRequest, membership: Membership, case: Case, form: DecisionForm) -> bool:
    data = form.cleaned_data
    try:
        with refused_as_not_found():
            decision_take(
                actor=request.user,  # type: ignore[arg-type]
                membership=membership,
                case=case,
                kind=data["kind"],
                data=DecisionInput(data["outcome"], data["grounds"], data["reasons"], data["screening"]),
            )
    except ValidationError as error:
        form.add_error(None, error)
        return False
    return True


@allow(*DECISION_READERS)
@never_cache
def decision_list(request: HttpRequest, reference: str) -> HttpResponse:
    _user, membership = acting(request)
    case = decision_case(membership, reference)
    deciding = may_decide(membership, case)
    if request.method == "POST" and not deciding:
        raise Http404
    decisions = list(decisions_of(case))
    kinds = _open_kinds(case, decisions)
    form = _decision_form(request, case, kinds) if deciding and kinds else None
    if request.method == "POST":
        if form is None:
            raise Http404
        if form.is_valid() and _take(request, membership, case, form):
            messages.success(request, _("The decision is recorded."))
            return redirect("identification:decisions", case.reference)
    context: dict[str, Any] = {
        "case": case,
        "decisions": decisions,
        "pending": pending_decisions(case, decisions),
        "standing_ids": {d.pk for d in standing_decisions(decisions).values()},
        "show_reasons": _reasons_visible(membership, case),
        "deciding": deciding,
        "form": form,
    }
    return render(request, "identification/decisions.html", context)


@allow(*DECIDERS)
@never_cache
def decision_review_page(request: HttpRequest, reference: str, decision_id: int) -> HttpResponse:
    user, membership = acting(request)
    case = decision_case(membership, reference)
    original = decision_on(case, decision_id)
    if not may_decide(membership, case) or current_decision(case, original.kind) != original:
        raise Http404
    form = ReviewForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            with refused_as_not_found():
                decision_review(
                    actor=user,
                    membership=membership,
                    original=original,
                    procedure=data["procedure"],
                    data=DecisionInput(data["outcome"], data["grounds"], data["reasons"]),
                )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The review is recorded."))
            return redirect("identification:decisions", case.reference)
    return render(
        request, "identification/decision_review.html", {"case": case, "original": original, "form": form}
    )


@allow(*DECIDERS)
@never_cache
def awaiting_list(request: HttpRequest) -> HttpResponse:
    """Cases the authority may see with a decision to take, oldest referral first, with their deadline."""
    _user, membership = acting(request)
    page = Paginator(cases_awaiting_decision(membership), PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [(case, awaiting_due_at(case)) for case in page.object_list]
    return render(request, "identification/awaiting.html", {"page": page, "rows": rows})
