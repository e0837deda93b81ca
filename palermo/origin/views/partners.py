"""Partner organisations in countries of origin: the list (by country, service, language), one partner, add
and change."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from palermo.access.declare import allow
from palermo.accounts.active import acting
from palermo.core.form_pages import RecordForms
from palermo.core.staff_pages import staff_page
from palermo.core.web import invalid_status
from palermo.origin import selectors
from palermo.origin.forms import PartnerEditForm, PartnerFilterForm, PartnerForm
from palermo.origin.services.common import may_edit
from palermo.origin.services.partners import partner_create, partner_update
from palermo.origin.web import (
    EDITOR_ROLES,
    ORIGIN_ROLES,
    editor_acting,
    partners_found,
    search_page,
)


@staff_page(allow(*ORIGIN_ROLES), "GET")
def partners(request: HttpRequest) -> HttpResponse:
    return search_page(request, "origin/partners.html", PartnerFilterForm, partners_found)


@staff_page(allow(*ORIGIN_ROLES), "GET")
def partner_detail(request: HttpRequest, partner_id: int) -> HttpResponse:
    user, membership = acting(request)
    context = {"partner": selectors.partner_for(user, partner_id), "may_edit": may_edit(membership)}
    return render(request, "origin/partner.html", context)


def _form_page(request: HttpRequest, form: PartnerForm, title: Any) -> HttpResponse:
    status = invalid_status(request) if request.method == "POST" else 200
    return render(request, "origin/partner_form.html", {"form": form, "title": title}, status=status)


PARTNER_FORMS = RecordForms(
    PartnerForm, PartnerEditForm, "partner", lambda form: {"data": form.partner_data()}, "origin:partner"
)


@staff_page(allow(*EDITOR_ROLES), "GET", "POST")
def partner_new(request: HttpRequest) -> HttpResponse:
    user, membership = editor_acting(request)
    form, done = PARTNER_FORMS.add(
        request, partner_create, _("Partner organisation added"), actor=user, membership=membership
    )
    return done or _form_page(request, form, _("Add a partner organisation"))


@staff_page(allow(*EDITOR_ROLES), "GET", "POST")
def partner_edit(request: HttpRequest, partner_id: int) -> HttpResponse:
    user, membership = editor_acting(request)
    partner = selectors.partner_for(user, partner_id)
    form, done = PARTNER_FORMS.change(
        request, partner, partner_update, _("Partner organisation changed"), actor=user, membership=membership
    )
    return done or _form_page(request, form, _("Change the partner organisation"))
