"""The provider's side of referrals: the inbox of referrals sent to its agency, the package while a referral
is open, and accepting, declining, completing and closing. Access rules: palermo.assistance.package."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.forms import BaseForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache

from palermo.access.declare import allow
from palermo.accounts.active import acting
from palermo.accounts.models import Membership
from palermo.assistance.forms import AcceptForm, CloseForm, CompleteForm, DeclineForm
from palermo.assistance.models import Referral, ReferralStatus
from palermo.assistance.package import provider_referral_for, provider_referrals, referral_package
from palermo.assistance.services import referrals
from palermo.assistance.web import PROVIDER_VIEW_ROLES
from palermo.core.staff_pages import staff_page
from palermo.core.web import apply_at_version, confirm, first_rows, form_values, paged

PAGE_SIZE = 50


@allow(*PROVIDER_VIEW_ROLES)
@never_cache
def inbox(request: HttpRequest) -> HttpResponse:
    _, membership = acting(request)
    page = paged(request, provider_referrals(membership), PAGE_SIZE)
    return render(request, "assistance/provider_inbox.html", {"page": page})


PANEL_ROWS = 5


def inbox_panel(request: HttpRequest, membership: Membership) -> dict[str, Any]:
    """The home page's panel for a service: the referrals waiting for its answer, newest first, and how
    many there are (one query)."""
    waiting = provider_referrals(membership).filter(status=ReferralStatus.SENT)
    rows, total = first_rows(waiting, PANEL_ROWS)
    return {"rows": rows, "total": total}


def _detail(request: HttpRequest, referral: Referral, status: int = 200, **forms: Any) -> HttpResponse:
    user, membership = acting(request)
    package = referral_package(membership, referral, actor=user)
    read = {"version": referral.version}
    context = {
        "referral": referral,
        "package": package,
        "accept_form": forms.get("accept_form") or AcceptForm(initial=read),
        "decline_form": forms.get("decline_form") or DeclineForm(initial=read),
        "complete_form": forms.get("complete_form") or CompleteForm(initial=read),
        "close_form": forms.get("close_form") or CloseForm(initial=read),
        "sent": referral.status == ReferralStatus.SENT,
        "accepted": referral.status == ReferralStatus.ACCEPTED,
    }
    return render(request, "assistance/provider_referral.html", context, status=status)


@allow(*PROVIDER_VIEW_ROLES)
@never_cache
def referral_detail(request: HttpRequest, referral_id: int) -> HttpResponse:
    _, membership = acting(request)
    return _detail(request, provider_referral_for(membership, referral_id))


def _provider_action(
    form_class: type[BaseForm],
    form_name: str,
    service: Callable[..., object],
    *fields: str,
    done: str | Promise,
) -> Callable[..., HttpResponse]:
    """The view of one of the provider's answers to a referral: the form's `fields` (and the version it was
    read at) go to `service`; refused, the referral's page again with the form and why."""

    @staff_page(allow(*PROVIDER_VIEW_ROLES), "POST")
    def act(request: HttpRequest, referral_id: int) -> HttpResponse:
        user, membership = acting(request)
        referral = provider_referral_for(membership, referral_id)
        form = form_class(request.POST)
        if form.is_valid() and apply_at_version(
            form,
            lambda: service(
                actor=user,
                membership=membership,
                referral=referral,
                **form_values(form.cleaned_data, *fields, version=True),
            ),
        ):
            confirm(request, done)
            return redirect(reverse("assistance:provider_referral", args=[referral.pk]))
        referral = provider_referral_for(membership, referral_id)
        return _detail(request, referral, status=400, **{form_name: form})

    return act


referral_accept = _provider_action(
    AcceptForm,
    "accept_form",
    referrals.referral_accept,
    "appointment_at",
    "note",
    done=_("Referral accepted"),
)
referral_decline = _provider_action(
    DeclineForm, "decline_form", referrals.referral_decline, "reason", "note", done=_("Referral declined")
)
referral_complete = _provider_action(
    CompleteForm,
    "complete_form",
    referrals.referral_complete,
    "service_given",
    done=_("Service marked as given"),
)
referral_close = _provider_action(
    CloseForm, "close_form", referrals.referral_close, "note", done=_("Referral closed")
)
