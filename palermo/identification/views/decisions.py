"""Decisions: a case's decisions and what is still due (T1, every role working on the case), the reasons
(T4, read on the record), the authority's forms, and the authority's list of cases awaiting a decision."""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from palermo.access.closure import is_closed
from palermo.access.declare import allow
from palermo.access.policy import can_read
from palermo.access.selectors import case_for
from palermo.access.tiers import Tier
from palermo.accounts.active import acting
from palermo.accounts.models import Membership
from palermo.cases.filters import CaseFacetFilter
from palermo.cases.models import Case
from palermo.cases.selectors import names_shown
from palermo.core.web import KeysFirst, paged, posted, saved
from palermo.identification.forms import DecisionForm, ReviewForm, ReviewRequestForm
from palermo.identification.models import IdentificationDecision, ScreeningStatus
from palermo.identification.roles import DECIDERS, DECISION_READERS
from palermo.identification.selectors import (
    AwaitingOrder,
    awaiting_counts,
    awaiting_due_at,
    cases_awaiting_decision,
    decision_case,
    decision_on,
    decisions_of,
    open_review_request,
    pending_decisions,
    review_requests_of,
    screenings_of,
    standing_decisions,
)
from palermo.identification.services.decisions import (
    DecisionInput,
    current_decision,
    decision_take,
    may_decide,
)
from palermo.identification.services.reviews import decision_review, review_request_record

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
    return DecisionForm(posted(request), kinds=kinds, screenings=screenings, is_child=case.is_child)


def _saved_by(request: HttpRequest, membership: Membership, form: Any, service: Any, **values: Any) -> bool:
    """The form's `service` run by the caller with `values` (False, the errors on the form, if refused)."""
    return saved(form, lambda: service(actor=request.user, membership=membership, **values))


def _take(request: HttpRequest, membership: Membership, case: Case, form: DecisionForm) -> bool:
    data = form.cleaned_data
    decision = DecisionInput.of(data, screening=data["screening"])
    return _saved_by(request, membership, form, decision_take, case=case, kind=data["kind"], data=decision)


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
        "review_requests": list(review_requests_of(case, open_only=True)),
        "show_reasons": _reasons_visible(membership, case),
        "deciding": deciding,
        "form": form,
    }
    return render(request, "identification/decisions.html", context)


def requested_at(day: datetime.date | None, original: IdentificationDecision) -> datetime.datetime | None:
    """A request received on `day`: now when today (or not given: the service's default), else midday of
    that day; on the day of the decision itself, not before the decision (an earlier day is refused by the
    service)."""
    if day is None or day >= timezone.localdate():
        return None
    moment = timezone.make_aware(datetime.datetime.combine(day, datetime.time(12, 0)))
    if day == timezone.localdate(original.decided_at):
        return max(moment, original.decided_at)
    return moment


def _record_request(request: HttpRequest, membership: Membership, original: Any, form: Any) -> bool:
    data = form.cleaned_data
    requested = requested_at(data["requested_on"], original)
    return _saved_by(
        request,
        membership,
        form,
        review_request_record,
        original=original,
        procedure=data["procedure"],
        requested_at=requested,
    )


def _record_review(request: HttpRequest, membership: Membership, original: Any, form: ReviewForm) -> bool:
    data = form.cleaned_data
    review = DecisionInput.of(data, requested_at=requested_at(data.get("requested_on"), original))
    return _saved_by(
        request,
        membership,
        form,
        decision_review,
        original=original,
        procedure=data["procedure"],
        data=review,
    )


@allow(*DECIDERS)
@never_cache
def decision_review_page(request: HttpRequest, reference: str, decision_id: int) -> HttpResponse:
    """The request for a review (due from the day it was made) and the review decision that answers it."""
    _user, membership = acting(request)
    case = decision_case(membership, reference)
    original = decision_on(case, decision_id)
    # A closed case shows its review as it stands, paused, without the forms (palermo.access.closure).
    closed = is_closed(case) and membership.role in DECIDERS and can_read(membership, case, Tier.NARRATIVE)
    if not (may_decide(membership, case) or closed) or current_decision(case, original.kind) != original:
        raise Http404
    pending = open_review_request(case, original)
    if closed:
        shown: dict[str, Any] = {"case": case, "original": original, "pending": pending, "closed": True}
        return render(request, "identification/decision_review.html", shown)
    posting_request = request.method == "POST" and request.POST.get("action") == "request"
    request_form = None if pending else ReviewRequestForm(request.POST if posting_request else None)
    posting_review = request.method == "POST" and not posting_request
    form = ReviewForm(request.POST if posting_review else None, requested=pending, is_child=case.is_child)
    request_valid = posting_request and request_form is not None and request_form.is_valid()
    if request_valid and _record_request(request, membership, original, request_form):
        messages.success(request, _("The request is recorded; the review is due by the date shown."))
        return redirect("identification:decision_review", case.reference, original.pk)
    if posting_review and form.is_valid() and _record_review(request, membership, original, form):
        messages.success(request, _("The review is recorded."))
        return redirect("identification:decisions", case.reference)
    context = {
        "case": case,
        "original": original,
        "pending": pending,
        "request_form": request_form,
        "form": form,
    }
    return render(request, "identification/decision_review.html", context)


NEW_REFERRALS = 5


def awaiting_rows(membership: Membership, cases: list[Case]) -> list[dict[str, Any]]:
    """Rows of cases awaiting a decision: the case, what is awaited and by when, and the person's name where
    the reader may read it (a recorded read)."""
    names = names_shown(membership, {case.pk for case in cases})
    return [
        {"case": case, "pending": awaiting_due_at(case), "name": names.get(case.pk, "")} for case in cases
    ]


@allow(*DECIDERS)
@never_cache
def awaiting_list(request: HttpRequest) -> HttpResponse:
    """Cases the authority may see with a decision to take, soonest due first, with the newest referrals
    above them (never behind a page), filtered by form of exploitation, lead agency and child or adult."""
    _user, membership = acting(request)
    facets = CaseFacetFilter(request.GET)
    awaiting = cases_awaiting_decision(membership, case_ids=facets.case_ids())
    counts = awaiting_counts(awaiting)
    ranked = KeysFirst(awaiting, keys_only=True)
    page = paged(request, ranked, PAGE_SIZE, total=counts["total"])
    newest = cases_awaiting_decision(
        membership, case_ids=facets.case_ids(), order=AwaitingOrder.NEWEST, new_only=True
    )
    newest_keys = KeysFirst(newest).keys(slice(0, NEW_REFERRALS))
    # Ranked on their keys alone; the rows shown (the newest and the page's) read in one query.
    new_cases, page.object_list = ranked.by_keys(newest_keys, list(page.object_list))
    rows = awaiting_rows(membership, [*new_cases, *page.object_list])
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "facets": facets.form,
        "counts": counts,
        "page": page,
        "new_rows": rows[: len(new_cases)],
        "rows": rows[len(new_cases) :],
        "query": query.urlencode(),
    }
    return render(request, "identification/awaiting.html", context)


def awaiting_panel(request: HttpRequest, membership: Membership) -> dict[str, Any]:
    """The home page's panel for the authority: how many decisions await and how many are overdue, and the
    newest referrals awaiting a first decision. The overdue decisions themselves are listed once, below it,
    in "Due today and overdue" (palermo.deadlines), most overdue first, with the reader's other deadlines."""
    awaiting = cases_awaiting_decision(membership)
    newest = KeysFirst(cases_awaiting_decision(membership, order=AwaitingOrder.NEWEST, new_only=True))
    new_rows = awaiting_rows(membership, newest[:NEW_REFERRALS])
    return {"counts": awaiting_counts(awaiting), "new_rows": new_rows}
