"""Administration pages (docs/decisions/0032): agencies, their staff, invitations, roles, deactivation and
second-factor resets. Thin: the checks are in the services and selectors; an agency outside the acting
administrator's reach, or a person outside it, is missing (404)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from palermo.access.declare import allow
from palermo.accounts import selectors
from palermo.accounts.active import acting
from palermo.accounts.forms import AgencyForm, GrantRoleForm, InvitationForm
from palermo.accounts.models import Agency, Membership, User
from palermo.accounts.roles import ADMINISTRATORS, Role
from palermo.accounts.services import administration as services
from palermo.accounts.web import ACCOUNT_CHANGES, person_in_agency
from palermo.core.forms import StyledForm
from palermo.core.web import form_values, invalid_status, paged, posted, saved

PAGE_SIZE = 50
administrators = allow(*ADMINISTRATORS)


@administrators
def index(request: HttpRequest) -> HttpResponse:
    """A system administrator's list of agencies; an agency administrator's is their agency's staff page (the
    menu's entry answers with it, no redirect)."""
    membership = acting(request).membership
    if membership.role != Role.SYSTEM_ADMINISTRATOR:
        return agency_staff(request, agency_id=membership.agency_id)
    agencies = paged(request, selectors.agencies_administered(membership), PAGE_SIZE)
    return render(request, "accounts/administration/index.html", {"agencies": agencies})


@allow(Role.SYSTEM_ADMINISTRATOR)
def agency_add(request: HttpRequest) -> HttpResponse:
    form = AgencyForm(posted(request))
    if request.method == "POST" and form.is_valid():
        values = form_values(form.cleaned_data, "name", "type", "region", "phone", "email")
        result: list[Agency] = []
        if saved(
            form, lambda: result.append(services.agency_add(actor=acting(request).membership, **values))
        ):
            messages.success(request, _("The agency has been added. You can now invite its staff."))
            return redirect("accounts:agency_staff", agency_id=result[0].pk)
    status = invalid_status(request) if form.errors else 200
    return render(request, "accounts/administration/agency_add.html", {"form": form}, status=status)


@administrators
def agency_staff(request: HttpRequest, agency_id: int) -> HttpResponse:
    membership = acting(request).membership
    agency = selectors.agency_administered(membership, agency_id)
    context = {
        "agency": agency,
        "staff": paged(request, selectors.staff_of(agency), PAGE_SIZE),
        "invitations": list(selectors.open_invitations(agency)),
        "resets": list(selectors.open_resets(agency)),
    }
    return render(request, "accounts/administration/agency.html", context)


@administrators
def invite(request: HttpRequest, agency_id: int) -> HttpResponse:
    membership = acting(request).membership
    agency = selectors.agency_administered(membership, agency_id)
    form = InvitationForm(posted(request), roles=selectors.grantable_roles(membership))
    if request.method == "POST" and form.is_valid():
        values = form_values(form.cleaned_data, "first_name", "last_name", "email", "role")
        if saved(form, lambda: services.invitation_create(actor=membership, agency=agency, **values)):
            messages.success(
                request,
                _("The invitation has been sent to %(email)s. The link works once, for %(days)d days.")
                % {"email": form.cleaned_data["email"], "days": settings.PALERMO_INVITATION_DAYS},
            )
            return redirect("accounts:agency_staff", agency_id=agency.pk)
    status = invalid_status(request) if form.errors else 200
    context = {"agency": agency, "form": form}
    return render(request, "accounts/administration/invite.html", context, status=status)


@administrators
@require_POST
def invitation_resend(request: HttpRequest, agency_id: int, invitation_id: int) -> HttpResponse:
    membership = acting(request).membership
    agency = selectors.agency_administered(membership, agency_id)
    invitation = selectors.invitation_administered(membership, invitation_id)
    if invitation.membership.agency_id != agency.pk:
        return redirect("accounts:agency_staff", agency_id=agency.pk)
    services.invitation_resend(actor=membership, invitation=invitation)
    messages.success(
        request, _("A new invitation has been sent. The link in the earlier one no longer works.")
    )
    return redirect("accounts:agency_staff", agency_id=agency.pk)


def _person(request: HttpRequest, agency_id: int, user_id: int) -> tuple[Membership, Agency, User]:
    membership = acting(request).membership
    return (membership, *person_in_agency(membership, agency_id, user_id))


@administrators
def person(request: HttpRequest, agency_id: int, user_id: int) -> HttpResponse:
    """One person's account as this administrator manages it: their roles here, granting another, and the
    account's actions (each behind a confirmation page)."""
    membership, agency, user = _person(request, agency_id, user_id)
    form = GrantRoleForm(posted(request), roles=selectors.grantable_roles(membership))
    if request.method == "POST" and form.is_valid():
        role = form.cleaned_data["role"]
        if saved(form, lambda: services.role_grant(actor=membership, user=user, agency=agency, role=role)):
            messages.success(
                request,
                _("%(role)s granted in %(agency)s.") % {"role": Role(role).label, "agency": agency.name},
            )
            return redirect("accounts:person", agency_id=agency.pk, user_id=user.pk)
    context = {
        "agency": agency,
        "person": user,
        "memberships": selectors.memberships_administered(membership, user),
        "reset": selectors.open_reset_of(user),
        "form": form,
        "is_self": user.pk == membership.user_id,
    }
    status = invalid_status(request) if form.errors else 200
    return render(request, "accounts/administration/person.html", context, status=status)


@dataclass(frozen=True)
class AccountAction:
    """What the confirmation page of an account change says (the change itself: web.ACCOUNT_CHANGES)."""

    title: str | Promise
    explanation: str | Promise
    button: str | Promise
    done: str | Promise


ACTIONS: dict[str, AccountAction] = {
    "deactivate": AccountAction(
        gettext_lazy("Deactivate this account"),
        gettext_lazy(
            "The person will be signed out now and will not be able to sign in. Their roles and everything "
            "they recorded stay on the record. The account can be activated again later."
        ),
        gettext_lazy("Deactivate the account"),
        gettext_lazy("The account has been deactivated and its sessions ended."),
    ),
    "reactivate": AccountAction(
        gettext_lazy("Activate this account again"),
        gettext_lazy("The person will be able to sign in again, with their password and second factor."),
        gettext_lazy("Activate the account"),
        gettext_lazy("The account is active again."),
    ),
    "end-role": AccountAction(
        gettext_lazy("End this role"),
        gettext_lazy(
            "The person will no longer act in this role for this agency. It stays on the record as ended, "
            "and can be granted again."
        ),
        gettext_lazy("End the role"),
        gettext_lazy("The role has ended."),
    ),
    "reset-second-factor": AccountAction(
        gettext_lazy("Reset this person's second factor"),
        gettext_lazy(
            "Use this when the person has lost their authenticator app and their backup codes. A second "
            "administrator must confirm; then the person is signed out, told by email, and sets up their "
            "authenticator again at their next sign-in."
        ),
        gettext_lazy("Ask for the reset"),
        gettext_lazy("The reset is waiting for a second administrator to confirm it."),
    ),
    "confirm-reset": AccountAction(
        gettext_lazy("Confirm the second factor reset"),
        gettext_lazy(
            "Another administrator asked to reset this person's second factor. Confirm only if you know the "
            "person has lost it. Their authenticator and backup codes will stop working now."
        ),
        gettext_lazy("Confirm the reset"),
        gettext_lazy("The second factor has been reset. The person has been told by email."),
    ),
    "cancel-reset": AccountAction(
        gettext_lazy("Cancel the second factor reset"),
        gettext_lazy("The person's authenticator and backup codes stay as they are."),
        gettext_lazy("Cancel the reset"),
        gettext_lazy("The reset has been cancelled."),
    ),
}


@administrators
def account_action(
    request: HttpRequest, agency_id: int, user_id: int, action: str, **kwargs: Any
) -> HttpResponse:
    """The confirmation page of an account action (GET) and the action itself (POST); a refusal is shown on
    the page in plain words."""
    membership, agency, user = _person(request, agency_id, user_id)
    chosen = ACTIONS.get(action)
    if chosen is None:
        raise Http404
    if (
        "membership_id" in kwargs
        and selectors.membership_administered(membership, kwargs["membership_id"]).user_id != user.pk
    ):
        raise Http404
    form = StyledForm({})  # a form of no fields: the page's error summary shows a refusal
    if request.method == "POST" and saved(form, lambda: ACCOUNT_CHANGES[action](membership, user, kwargs)):
        messages.success(request, str(chosen.done))
        return redirect("accounts:person", agency_id=agency.pk, user_id=user.pk)
    context = {"agency": agency, "person": user, "action": chosen, "form": form}
    status = invalid_status(request) if form.errors else 200
    return render(request, "accounts/administration/confirm.html", context, status=status)
