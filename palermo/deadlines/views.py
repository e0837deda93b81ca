"""The "due and overdue" screen: the deadlines of the signed-in user or of their agency, grouped by urgency,
by case or by kind, with their counts; and the home page's panel of what is due today and overdue.

Rows are soonest first, so each page's rows fall into contiguous groups (overdue, due today, within 7 days,
later); the page is cut before grouping so the query count does not depend on the number of deadlines.
Grouped by case, the page lists cases (each with its counts, linking to its rows); grouped by kind, the
handful of kinds. The person's name shows where the reader may read identity (a recorded read).
"""

from __future__ import annotations

from itertools import groupby
from typing import Any

from django.db.models import BooleanField, ExpressionWrapper
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from palermo.access.declare import allow
from palermo.accounts.active import acting
from palermo.accounts.models import Membership
from palermo.cases.filters import CaseFacetFilter
from palermo.cases.selectors import names_shown
from palermo.cases.web import CASE_ROLES
from palermo.core.form_pages import reported
from palermo.core.web import other_params, paged
from palermo.deadlines.forms import DueFilterForm, Grouping
from palermo.deadlines.kinds import kind_for
from palermo.deadlines.models import Deadline
from palermo.deadlines.selectors import (
    Bucket,
    Day,
    Scope,
    Status,
    another_agency_s,
    counts_by_case,
    counts_by_kind,
    due_deadlines,
    is_another_agency_s,
    open_deadline_of,
    urgency_counts,
)
from palermo.deadlines.services import deadline_mark_done
from palermo.deadlines.worklist import place_to_act

PAGE_SIZE = 50


def row(deadline: Deadline, day: Day) -> dict[str, Any]:
    return {
        "deadline": deadline,
        "kind": kind_for(deadline.kind),
        "url": place_to_act(deadline),
        "bucket": day.bucket(deadline),
        "days_over": day.days_over(deadline),
    }


def named_rows(membership: Membership, deadlines: list[Deadline], day: Day) -> list[dict[str, Any]]:
    """The rows of these deadlines, each with the person's name where the reader may read it (else "")."""
    names = names_shown(membership, {deadline.case_id for deadline in deadlines})
    return [
        {
            **row(deadline, day),
            "name": names.get(deadline.case_id, ""),
            "theirs": is_another_agency_s(deadline, membership),
        }
        for deadline in deadlines
    ]


def _page_of_deadlines(
    request: HttpRequest, membership: Membership, deadlines: Any, day: Day, total: int
) -> Any:
    page = paged(request, deadlines, PAGE_SIZE, total=total)
    rows = named_rows(membership, list(page.object_list), day)
    return page, [
        {"bucket": bucket, "label": Bucket(bucket).label, "rows": list(members)}
        for bucket, members in groupby(rows, key=lambda item: item["bucket"])
    ]


@allow(*CASE_ROLES)
@never_cache
def due_list(request: HttpRequest) -> HttpResponse:
    _, membership = acting(request)
    form = DueFilterForm(request.GET)
    facets = CaseFacetFilter(request.GET)
    filters = form.filters()
    grouping = form.grouping()
    day = Day.of()
    deadlines = due_deadlines(membership, status=Status.OPEN, day=day, case_ids=facets.case_ids(), **filters)
    context: dict[str, Any] = {
        "form": form,
        "facets": facets.form,
        "grouping": grouping,
        "counts": urgency_counts(deadlines, day),
        "today": day.today,
        "scope": filters["scope"],
        "query": other_params(request),
    }
    scope = urlencode({"scope": filters["scope"]})
    if grouping == Grouping.KIND:
        context["kinds"] = [
            {
                **item,
                "label": kind_for(item["kind"]).label,
                "url": f"?{scope}&{urlencode({'kind': item['kind']})}",
            }
            for item in counts_by_kind(deadlines, day)
        ]
    elif grouping == Grouping.CASE:
        page = paged(request, counts_by_case(deadlines, day), PAGE_SIZE)
        names = names_shown(membership, {item["case_id"] for item in page.object_list})
        context["page"] = page
        context["cases"] = [
            {
                **item,
                "reference": item["case__reference"],
                "url": f"?{scope}&{urlencode({'case': item['case__reference']})}",
                "name": names.get(item["case_id"], ""),
            }
            for item in page.object_list
        ]
    else:
        total = context["counts"]["total"]
        context["page"], context["groups"] = _page_of_deadlines(request, membership, deadlines, day, total)
    return render(request, "deadlines/due_list.html", context)


HOME_ROWS = 10


def due_panel(request: HttpRequest, membership: Membership) -> dict[str, Any]:
    """The home page's panel: what is overdue and due today of the reader's own (responsible, named on the
    case team, or their role's to decide for their agency), most overdue first, with the counts of theirs and
    of their agency's. What the reader or their agency must do leads; another agency's deadlines on the
    reader's cases follow apart, so that a guardian's list does not open on a prosecutor's hearing."""
    day = Day.of()
    mine = due_deadlines(membership, status=Status.OPEN, day=day)
    # Another agency's deadline on a case the reader is named on is for them to know, after their own work:
    # one query, the reader's own first.
    theirs = ExpressionWrapper(another_agency_s(membership), output_field=BooleanField())
    due_now = mine.filter(due_at__lt=day.tomorrow).annotate(theirs=theirs).order_by("theirs", "due_at", "pk")
    shown = named_rows(membership, list(due_now[:HOME_ROWS]), day)
    rows = [row for row in shown if not row["theirs"]]
    others_rows = [row for row in shown if row["theirs"]]
    agency = due_deadlines(membership, scope=Scope.AGENCY, status=Status.OPEN, day=day)
    return {
        "rows": rows,
        "others_rows": others_rows,
        "counts": urgency_counts(mine, day),
        "agency_counts": urgency_counts(agency, day),
        "today": day.today,
    }


@allow(*CASE_ROLES)
@require_POST
def mark_done(request: HttpRequest, pk: int) -> HttpResponse:
    """A task no record settles, marked dealt with from the list; back to the list with what happened."""
    user, membership = acting(request)
    deadline = open_deadline_of(membership, pk)
    task = {"task": kind_for(deadline.kind).label, "case": deadline.case.reference}
    reported(
        request,
        lambda: deadline_mark_done(actor=user, membership=membership, deadline=deadline),
        _("Marked as dealt with: %(task)s (case %(case)s).") % task,
    )
    return redirect(f"{reverse('deadlines:due')}?scope=agency")
