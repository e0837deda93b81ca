"""The identification authority's duplicate review: the latest run's progress (polled while it runs), the
queue of likely pairs, each pair side by side, the decision (same person: merge; different persons), and the
merges in force with their unmerge."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from palermo.access.declare import allow
from palermo.accounts.active import acting
from palermo.core.concurrency import StaleEdit
from palermo.core.staff_pages import staff_page
from palermo.core.web import confirm, paged
from palermo.linkage.forms import DecisionForm
from palermo.linkage.selectors import (
    candidate_for,
    candidate_sides,
    latest_run,
    merge_for,
    merges_listed,
    review_queue,
)
from palermo.linkage.services.duplicates import (
    REVIEWERS,
    candidate_decide,
    linkage_run_start,
    person_unmerge,
)

PAGE_SIZE = 25


@staff_page(allow(*REVIEWERS), "GET")
def duplicate_queue(request: HttpRequest) -> HttpResponse:
    _, membership = acting(request)
    context = {
        "run": latest_run(),
        "page": paged(request, review_queue(membership), PAGE_SIZE),
        "merges": list(merges_listed(membership)[:PAGE_SIZE]),
    }
    return render(request, "linkage/queue.html", context)


@staff_page(allow(*REVIEWERS), "GET", "POST")
def run_progress(request: HttpRequest) -> HttpResponse:
    """GET: the latest run's progress (the queue page polls it while the run lasts). POST: start one."""
    if request.method == "POST":
        user, membership = acting(request)
        try:
            linkage_run_start(actor=user, membership=membership)
        except ValidationError as refused:
            confirm(request, " ".join(refused.messages))
        else:
            confirm(request, _("Duplicate detection started. The queue fills when it has finished."))
        return redirect("linkage:queue")
    return render(request, "linkage/run_progress.html", {"run": latest_run()})


@staff_page(allow(*REVIEWERS), "GET", "POST")
def candidate_review(request: HttpRequest, candidate_id: int) -> HttpResponse:
    user, membership = acting(request)
    candidate = candidate_for(membership, candidate_id)
    form = DecisionForm(request.POST or None, initial={"version": candidate.version})
    status = 200
    if request.method == "POST" and form.is_valid():
        same, version = form.cleaned_data["decision"] == "same", form.cleaned_data["version"]
        try:
            candidate_decide(
                actor=user, membership=membership, candidate=candidate, same=same, expected_version=version
            )
        except StaleEdit:
            form.add_error(None, _("Someone decided on this pair after you opened it. Read it again."))
            status = 409
        except (ValidationError, PermissionDenied) as refused:
            if isinstance(refused, PermissionDenied):
                raise Http404 from None
            form.add_error(None, refused)
            status = 400
        else:
            done = (
                _("Merged: the two records are linked as one person on both cases.")
                if same
                else _("Recorded as different persons.")
            )
            confirm(request, done)
            return redirect("linkage:queue")
    elif request.method == "POST":
        status = 400
    left, right = candidate_sides(membership, candidate)
    context = {"candidate": candidate, "sides": (left, right), "form": form}
    return render(request, "linkage/review.html", context, status=status)


@staff_page(allow(*REVIEWERS), "POST")
def merge_undo(request: HttpRequest, merge_id: int) -> HttpResponse:
    user, membership = acting(request)
    merge = merge_for(membership, merge_id)
    person_unmerge(actor=user, membership=membership, merge=merge)
    confirm(request, _("Merge undone: the two records are separate again, as they were."))
    return redirect("linkage:queue")
