"""Partner organisations in countries of origin: the list (by country, service, language), one partner, add
and change."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from palermo.access.declare import allow
from palermo.accounts.active import acting
from palermo.core.web import apply_at_version, confirm, invalid_status, other_params, paged, posted
from palermo.origin import selectors
from palermo.origin.forms import PartnerEditForm, PartnerFilterForm, PartnerForm
from palermo.origin.services.common import may_edit
from palermo.origin.services.partners import partner_create, partner_update
from palermo.origin.web import ORIGIN_ROLES, PAGE_SIZE, partner_filters


@allow(*ORIGIN_ROLES)
@never_cache
@require_GET
def partners(request: HttpRequest) -> HttpResponse:
    user, membership = acting(request)
    context = {
        "filters": PartnerFilterForm(request.GET or None),
        "page": paged(request, selectors.partners(user, **partner_filters(request.GET)), PAGE_SIZE),
        "query": other_params(request),
        "may_edit": may_edit(membership),
    }
    return render(request, "origin/partners.html", context)


@allow(*ORIGIN_ROLES)
@never_cache
@require_GET
def partner_detail(request: HttpRequest, partner_id: int) -> HttpResponse:
    user, membership = acting(request)
    context = {"partner": selectors.partner_for(user, partner_id), "may_edit": may_edit(membership)}
    return render(request, "origin/partner.html", context)


def _form_page(request: HttpRequest, form: PartnerForm, title: Any) -> HttpResponse:
    status = invalid_status(request) if request.method == "POST" else 200
    return render(request, "origin/partner_form.html", {"form": form, "title": title}, status=status)


@allow(*ORIGIN_ROLES)
@never_cache
@require_http_methods(["GET", "POST"])
def partner_new(request: HttpRequest) -> HttpResponse:
    user, membership = acting(request)
    if not may_edit(membership):
        raise Http404
    form = PartnerForm(posted(request))
    if request.method == "POST" and form.is_valid():
        created = apply_at_version(
            form, lambda: partner_create(actor=user, membership=membership, data=form.partner_data())
        )
        if created:
            confirm(request, _("Partner organisation added"))
            return redirect(reverse("origin:partner", args=[created.pk]))
    return _form_page(request, form, _("Add a partner organisation"))


@allow(*ORIGIN_ROLES)
@never_cache
@require_http_methods(["GET", "POST"])
def partner_edit(request: HttpRequest, partner_id: int) -> HttpResponse:
    user, membership = acting(request)
    partner = selectors.partner_for(user, partner_id)
    if not may_edit(membership):
        raise Http404
    if request.method == "GET":
        form = PartnerEditForm(initial=PartnerForm.initial_for(partner))
    else:
        form = PartnerEditForm(request.POST)
        if form.is_valid():
            saved = apply_at_version(
                form,
                lambda: partner_update(
                    actor=user,
                    membership=membership,
                    partner=partner,
                    data=form.partner_data(),
                    expected_version=form.cleaned_data["version"],
                ),
            )
            if saved:
                confirm(request, _("Partner organisation changed"))
                return redirect(reverse("origin:partner", args=[partner.pk]))
    return _form_page(request, form, _("Change the partner organisation"))
