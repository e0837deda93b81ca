"""The "due and overdue" screen: the deadlines of the signed-in user or of their agency, grouped by urgency.

Rows are soonest first, so each page's rows fall into contiguous groups (overdue, due today, within 7 days,
later); the page is cut before grouping so the query count does not depend on the number of deadlines.
"""

from __future__ import annotations

from itertools import groupby
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from palermo.access.declare import allow
from palermo.accounts.active import acting
from palermo.cases.web import CASE_ROLES
from palermo.core.web import other_params, paged
from palermo.deadlines.forms import DueFilterForm
from palermo.deadlines.kinds import kind_for
from palermo.deadlines.models import Deadline
from palermo.deadlines.selectors import BUCKET_LABELS, Day, Status, due_deadlines, open_deadline_of
from palermo.deadlines.services import deadline_mark_done

PAGE_SIZE = 50


def place_to_act(deadline: Deadline) -> str:
    """Where the work is done: the kind's page for the case, or the case page when the kind names none."""
    url_name = kind_for(deadline.kind).url_name
    reference = deadline.case.reference
    if url_name:
        try:
            return reverse(url_name, args=[reference])
        except NoReverseMatch:
            pass
    return reverse("cases:detail", args=[reference])


def row(deadline: Deadline, day: Day) -> dict[str, Any]:
    return {
        "deadline": deadline,
        "kind": kind_for(deadline.kind),
        "url": place_to_act(deadline),
        "bucket": day.bucket(deadline),
        "days_over": day.days_over(deadline),
    }


def grouped(deadlines: list[Deadline], day: Day) -> list[dict[str, Any]]:
    rows = [row(deadline, day) for deadline in deadlines]
    return [
        {"bucket": bucket, "label": BUCKET_LABELS[bucket], "rows": list(members)}
        for bucket, members in groupby(rows, key=lambda item: item["bucket"])
    ]


@allow(*CASE_ROLES)
@never_cache
def due_list(request: HttpRequest) -> HttpResponse:
    _, membership = acting(request)
    form = DueFilterForm(request.GET)
    filters = form.filters()
    day = Day.of()
    deadlines = due_deadlines(membership, status=Status.OPEN, day=day, **filters)
    page = paged(request, deadlines, PAGE_SIZE)
    context = {
        "form": form,
        "page": page,
        "groups": grouped(list(page.object_list), day),
        "today": day.today,
        "scope": filters["scope"],
        "query": other_params(request),
    }
    return render(request, "deadlines/due_list.html", context)


@allow(*CASE_ROLES)
@require_POST
def mark_done(request: HttpRequest, pk: int) -> HttpResponse:
    """A task no record settles, marked dealt with from the list; back to the list with what happened."""
    user, membership = acting(request)
    deadline = open_deadline_of(membership, pk)
    try:
        deadline_mark_done(actor=user, membership=membership, deadline=deadline)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        task = {"task": kind_for(deadline.kind).label, "case": deadline.case.reference}
        messages.success(request, _("Marked as dealt with: %(task)s (case %(case)s).") % task)
    return redirect(f"{reverse('deadlines:due')}?scope=agency")
