"""Partner NRMs, for a system administrator (docs/decisions/0053): the list, registering one, one partner, a
new shared secret and deactivation, each change behind a confirmation page. The secret is shown once, on the
answer to the POST that made it (never in a URL, a message kept in the session or a log); anyone else gets
404."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters

from palermo.access.declare import allow
from palermo.accounts.active import acting
from palermo.core.staff_pages import staff_page
from palermo.core.web import apply_at_version, confirm, invalid_status, paged, posted, saved
from palermo.linkage.forms import PartnerDeactivateForm, PartnerRegisterForm, PartnerRotateForm
from palermo.linkage.models import PartnerNRM
from palermo.linkage.partner_reads import partner_administered, partners_administered
from palermo.linkage.services.partners import (
    PARTNER_ADMINISTRATORS,
    partner_deactivate,
    partner_register,
    partner_rotate,
)

PAGE_SIZE = 50
administrators = allow(*PARTNER_ADMINISTRATORS)


@staff_page(administrators, "GET")
def partner_list(request: HttpRequest) -> HttpResponse:
    membership = acting(request).membership
    context = {"partners": paged(request, partners_administered(membership), PAGE_SIZE)}
    return render(request, "linkage/partner_admin/list.html", context)


def _secret_page(request: HttpRequest, partner: PartnerNRM, *, rotated: bool) -> HttpResponse:
    """The one page that shows the secret: the answer to the POST that made it, kept by no cache."""
    context = {"partner": partner, "secret": partner.secret, "rotated": rotated}
    return render(request, "linkage/partner_admin/secret.html", context)


@staff_page(administrators, "GET", "POST")
@sensitive_post_parameters("secret")
def partner_new(request: HttpRequest) -> HttpResponse:
    user, membership = acting(request)
    partners_administered(membership)  # 404 for anyone else, before the form
    form = PartnerRegisterForm(posted(request))
    made: list[PartnerNRM] = []
    if request.method == "POST" and form.is_valid():
        values = form.cleaned_data
        register = lambda: made.append(  # noqa: E731
            partner_register(
                actor=user, membership=membership, encode_now=False, **{k: values[k] for k in REGISTER_FIELDS}
            )
        )
        if saved(form, register):
            return _secret_page(request, made[0], rotated=False)
    status = invalid_status(request) if form.errors else 200
    return render(request, "linkage/partner_admin/new.html", {"form": form}, status=status)


REGISTER_FIELDS = ("name", "country", "contact", "url", "secret")


@staff_page(administrators, "GET")
def partner_detail(request: HttpRequest, partner_id: int) -> HttpResponse:
    membership = acting(request).membership
    context = {"partner": partner_administered(membership, partner_id)}
    return render(request, "linkage/partner_admin/detail.html", context)


def _confirm_page(
    request: HttpRequest, partner: PartnerNRM, form: Any, action: str, status: int = 200
) -> HttpResponse:
    context = {"partner": partner, "form": form, "action": action}
    return render(request, "linkage/partner_admin/confirm.html", context, status=status)


def _rotated(request: HttpRequest, partner: PartnerNRM) -> HttpResponse:
    return _secret_page(request, partner, rotated=True)


def _deactivated(request: HttpRequest, partner: PartnerNRM) -> HttpResponse:
    confirm(request, _("The partner NRM has been deactivated. Its questions stay on the record."))
    return redirect("linkage:partner_admin_detail", partner_id=partner.pk)


ChangeForm = type[PartnerRotateForm | PartnerDeactivateForm]
Answer = Callable[[HttpRequest, PartnerNRM], HttpResponse]
# Each change of a partner: its confirmation form, its service, and the page after it.
CHANGES: dict[str, tuple[ChangeForm, Callable[..., PartnerNRM], Answer]] = {
    "rotate": (PartnerRotateForm, partner_rotate, _rotated),
    "deactivate": (PartnerDeactivateForm, partner_deactivate, _deactivated),
}


def _change(request: HttpRequest, partner_id: int, action: str) -> HttpResponse:
    """A change's confirmation page (GET) and the change (POST, at the version the page was read at), its
    refusal shown on the page, then the page after it."""
    form_class, change, answer = CHANGES[action]
    user, membership = acting(request)
    partner = partner_administered(membership, partner_id)
    if partner.revoked_at is not None and action == "rotate":
        return redirect("linkage:partner_admin_detail", partner_id=partner.pk)
    form = form_class(posted(request), initial={"version": partner.version})
    if request.method == "POST" and form.is_valid():
        values = dict(form.cleaned_data)
        version = values.pop("version")
        changed = apply_at_version(
            form,
            lambda: change(
                actor=user, membership=membership, partner=partner, expected_version=version, **values
            ),
        )
        if changed is not None and not form.errors:
            return answer(request, changed)
    status = invalid_status(request) if form.errors else 200
    return _confirm_page(request, partner, form, action, status)


@staff_page(administrators, "GET", "POST")
@sensitive_post_parameters("secret")
def rotate(request: HttpRequest, partner_id: int) -> HttpResponse:
    """Confirm (GET) and make (POST) a new shared secret; the new secret is the answer to the POST."""
    return _change(request, partner_id, "rotate")


@staff_page(administrators, "GET", "POST")
def deactivate(request: HttpRequest, partner_id: int) -> HttpResponse:
    return _change(request, partner_id, "deactivate")
