"""Pages outside a case: the inbox of packages received from partners abroad (open one, see what arrived,
accept it as a referral or decline it), and the system administrator's register of partner keys (with this
system's own public keys and fingerprint to give to partners)."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from palermo.access.declare import allow
from palermo.accounts.active import acting
from palermo.core.form_pages import form_view, posted_and_saved, reported
from palermo.core.lists import listed
from palermo.core.web import paged, posted
from palermo.returns import jose, selectors
from palermo.returns.forms import PackageAcceptForm, PackageReceiveForm, PartnerKeyForm
from palermo.returns.models import PackageStatus, PartnerKey
from palermo.returns.services import packages
from palermo.returns.web import INBOX_ROLES, KEY_ROLES

PAGE_SIZE = 50


def _shown(value: object) -> str:
    if value is None or value == "" or value == []:
        return "—"
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(value, list):
        return listed(value)
    return str(value)


@allow(*INBOX_ROLES)
@form_view
def inbox(request: HttpRequest) -> HttpResponse:
    user, membership = acting(request)
    form = PackageReceiveForm(posted(request), request.FILES or None)
    package = posted_and_saved(
        request,
        form,
        lambda: packages.package_receive(actor=user, membership=membership, token=form.cleaned_data["token"]),
    )
    if package is not None:
        return redirect("returns:received", pk=package.pk)
    listed = paged(request, selectors.received_packages(membership), PAGE_SIZE)
    status = 400 if form.errors else 200
    return render(request, "returns/inbox.html", {"form": form, "packages": listed}, status=status)


@allow(*INBOX_ROLES)
@form_view
def received(request: HttpRequest, pk: int) -> HttpResponse:
    user, membership = acting(request)
    form = PackageAcceptForm(posted(request))
    done = posted_and_saved(
        request,
        form,
        lambda: packages.package_accept(
            actor=user,
            membership=membership,
            package=selectors.received_package_row(membership, pk),
            identification_agency=form.cleaned_data["identification_agency"],
        ),
    )
    if done is not None:
        messages.success(request, _("Referral opened from the package."))
        assert done.case is not None  # noqa: S101  (accepting opens the case)
        return redirect("cases:detail", reference=done.case.reference)
    package = selectors.received_package(membership, pk)
    context = {
        "package": package,
        "fields": [(name, _shown(value)) for name, value in packages.received_fields(package.record).items()],
        "form": form,
        "awaiting": package.record.status == PackageStatus.AWAITING,
    }
    return render(request, "returns/received.html", context, status=400 if form.errors else 200)


@allow(*INBOX_ROLES)
@require_POST
def decline(request: HttpRequest, pk: int) -> HttpResponse:
    user, membership = acting(request)
    row = selectors.received_package_row(membership, pk)
    reported(
        request,
        lambda: packages.package_decline(actor=user, membership=membership, package=row),
        _("Package declined: no referral was opened."),
    )
    return redirect("returns:inbox")


@allow(*KEY_ROLES)
@form_view
def partner_keys(request: HttpRequest) -> HttpResponse:
    user, membership = acting(request)
    form = PartnerKeyForm(posted(request))
    registered = posted_and_saved(
        request,
        form,
        lambda: packages.partner_key_register(actor=user, membership=membership, **form.cleaned_data),
    )
    if registered is not None:
        messages.success(request, _("Partner keys registered."))
        return redirect("returns:partner_keys")
    try:
        own = jose.own_keys()
        ours = {"public": own.public_set(), "fingerprint": own.fingerprint}
        inbox = request.build_absolute_uri(reverse("api-returns-inbox"))
    except jose.KeyProblem:
        ours, inbox = None, ""
    context = {
        "form": form,
        "keys": paged(request, selectors.partner_keys(), PAGE_SIZE),
        "ours": ours,
        "inbox": inbox,
    }
    return render(request, "returns/partner_keys.html", context, status=400 if form.errors else 200)


@allow(*KEY_ROLES)
@require_POST
def partner_key_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    user, membership = acting(request)
    key = PartnerKey.objects.filter(pk=pk).first()
    if key is not None:
        packages.partner_key_revoke(actor=user, membership=membership, key=key)
        messages.success(request, _("Partner keys revoked: nothing more is sent to or accepted from them."))
    return redirect("returns:partner_keys")
