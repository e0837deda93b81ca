"""The duty workers' pages: the contact requests waiting for their agency, and one to pick up (the action is
confirmed on its own page); once picked up, how to reach the person, for that worker only."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from palermo.access.declare import allow
from palermo.accounts.active import acting
from palermo.core.concurrency import StaleEdit
from palermo.core.staff_pages import list_page, staff_page
from palermo.portal.selectors import contact_request_for, contact_requests_of, reach_of
from palermo.portal.services import DUTY_ROLES, contact_request_pick_up

PAGE_SIZE = 25


@staff_page(allow(*DUTY_ROLES), "GET")
def request_list(request: HttpRequest) -> HttpResponse:
    waiting = contact_requests_of(acting(request).membership)
    return list_page(request, "portal/staff/list.html", waiting, PAGE_SIZE)


@staff_page(allow(*DUTY_ROLES), "GET", "POST")
def request_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user, membership = acting(request)
    found = contact_request_for(membership, pk)
    problem = ""
    if request.method == "POST":
        try:
            found = contact_request_pick_up(
                actor=user,
                membership=membership,
                request=found,
                expected_version=int(request.POST.get("version") or 0),
            )
        except StaleEdit:
            problem = _("Someone else picked up this request, or it lapsed; nothing was saved.")
        except ValidationError as refused:
            problem = " ".join(refused.messages)
        else:
            messages.success(request, _("You picked up this request. Contact the person as they asked."))
            return redirect("portal_staff:detail", found.pk)
    context = {"item": found, "reach": reach_of(membership, found), "problem": problem}
    return render(request, "portal/staff/detail.html", context, status=400 if problem else 200)
