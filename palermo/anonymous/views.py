"""Anonymous notifications' pages: the agency's list, the form (with an error summary that takes focus), one
notification, turning it into a referral when the person agrees, and the national figures."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from palermo.access.declare import allow
from palermo.accounts.active import acting
from palermo.anonymous.forms import NotificationForm
from palermo.anonymous.models import AnonymousNotification, NotificationStatus
from palermo.anonymous.selectors import FIGURE_READERS, figures, notification_for, notifications_of
from palermo.anonymous.services import anonymous_notification_convert, anonymous_notification_record
from palermo.cases.forms_intake import IntakeForm
from palermo.cases.services.intake import INTAKE_ROLES
from palermo.core.concurrency import StaleEdit
from palermo.core.disclosure import minimum_cell
from palermo.core.staff_pages import list_page, staff_page
from palermo.core.web import errors_into, posted

PAGE_SIZE = 25


def _status(form_invalid: bool) -> int:
    return 400 if form_invalid else 200


@staff_page(allow(*INTAKE_ROLES), "GET")
def notification_list(request: HttpRequest) -> HttpResponse:
    notifications = notifications_of(acting(request).membership)
    return list_page(request, "anonymous/list.html", notifications, PAGE_SIZE)


@staff_page(allow(*INTAKE_ROLES), "GET", "POST")
def notification_new(request: HttpRequest) -> HttpResponse:
    user, membership = acting(request)
    form = NotificationForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            notification = anonymous_notification_record(
                actor=user, membership=membership, facts=form.cleaned_data
            )
        except ValidationError as refused:
            errors_into(form, refused)
        else:
            messages.success(request, _("The anonymous notification is recorded."))
            return redirect("anonymous:detail", notification.pk)
    invalid = request.method == "POST"
    return render(request, "anonymous/form.html", {"form": form}, status=_status(invalid))


@staff_page(allow(*INTAKE_ROLES), "GET")
def notification_detail(request: HttpRequest, pk: int) -> HttpResponse:
    _user, membership = acting(request)
    return render(request, "anonymous/detail.html", {"notification": notification_for(membership, pk)})


def _prefilled(notification: AnonymousNotification) -> dict[str, object]:
    """What the notification already says, as the referral form's starting values."""
    initial: dict[str, object] = {"gender": notification.gender}
    if notification.nationality:
        initial["citizenships"] = [notification.nationality]
    if notification.exploitation_form:
        initial["exploitation_forms"] = [notification.exploitation_form]
    return initial


@staff_page(allow(*INTAKE_ROLES), "GET", "POST")
def notification_convert(request: HttpRequest, pk: int) -> HttpResponse:
    """The person agrees now: the referral form, prefilled; submitting opens the case and links the two."""
    user, membership = acting(request)
    notification = notification_for(membership, pk)
    if notification.status != NotificationStatus.DECLINED:
        return redirect("anonymous:detail", notification.pk)
    form = IntakeForm(posted(request), initial=_prefilled(notification))
    if request.method == "POST" and form.is_valid():
        try:
            case = anonymous_notification_convert(
                actor=user,
                membership=membership,
                notification=notification,
                referral=form.referral(),
                expected_version=int(request.POST.get("notification_version") or 0),
            )
        except StaleEdit:
            form.add_error(
                None, _("Someone changed this notification after you opened it; nothing was saved.")
            )
        except ValidationError as refused:
            errors_into(form, refused)
        else:
            messages.success(request, _("The referral is made and linked to the anonymous notification."))
            return redirect("cases:detail", case.reference)
    context = {"form": form, "notification": notification}
    return render(request, "anonymous/convert.html", context, status=_status(request.method == "POST"))


@staff_page(allow(*FIGURE_READERS), "GET")
def notification_figures(request: HttpRequest) -> HttpResponse:
    return render(request, "anonymous/figures.html", {"figures": figures(), "minimum_cell": minimum_cell()})
