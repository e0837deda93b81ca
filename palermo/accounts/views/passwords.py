"""The pages a person reaches from an email before signing in (docs/decisions/0032): an invitation's link
(choose a password, then the second factor through the ordinary enrolment) and a forgotten password (ask by
email; Django's reset view with the project's form and pages). Neither says whether an address is known."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth import login as auth_login
from django.contrib.auth import views as auth_views
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters

from palermo.access import limits
from palermo.access.declare import public
from palermo.accounts.forms import PasswordResetForm, SetPasswordForm
from palermo.accounts.models import User
from palermo.accounts.selectors import invitation_for_token
from palermo.accounts.services import administration as services
from palermo.accounts.services import sign_in_record
from palermo.core.web import errors_into, invalid_status, posted

INVITATION_SESSION_KEY = "palermo_invitation"
PASSWORD_BACKEND = "django.contrib.auth.backends.ModelBackend"  # noqa: S105 (a class path)


def _link_not_working(request: HttpRequest) -> HttpResponse:
    """A used, expired or replaced link: a plain page (200, as Django's own reset view answers one)."""
    return render(request, "accounts/link_not_working.html")


@public
@never_cache
def invitation(request: HttpRequest, token: str) -> HttpResponse:
    """The link in the email. The token moves into the session at once and the page continues at an address
    without it (as Django's reset view does), so it stays out of the browser's history and of logs."""
    if invitation_for_token(token) is None:
        return _link_not_working(request)
    request.session[INVITATION_SESSION_KEY] = token
    return redirect("accounts:invitation_password")


@public
@never_cache
@sensitive_post_parameters("new_password1", "new_password2")
def invitation_password(request: HttpRequest) -> HttpResponse:
    token = request.session.get(INVITATION_SESSION_KEY, "")
    found = invitation_for_token(token)
    if found is None:
        return _link_not_working(request)
    form = SetPasswordForm(found.user, posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            user = services.invitation_accept(token=token, password=form.cleaned_data["new_password1"])
        except PermissionDenied:
            return _link_not_working(request)
        except ValidationError as error:
            errors_into(form, error, by_field=False)
        else:
            request.session.pop(INVITATION_SESSION_KEY, None)
            auth_login(request, user, backend=PASSWORD_BACKEND)
            sign_in_record(user=user)
            messages.success(request, _("Your password is set. Now set up your second factor."))
            return redirect("accounts:two_factor")
    status = invalid_status(request) if form.errors else 200
    context = {"form": form, "username": found.user.get_username()}
    return render(request, "accounts/invitation_password.html", context, status=status)


@public
@never_cache
def password_reset(request: HttpRequest) -> HttpResponse:
    """Ask for a reset link. The answer is the same whether or not an account has the address."""
    form = PasswordResetForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            limits.check(request, door="password_reset")
        except limits.RateLimited as refusal:
            context = {"minutes": limits.minutes(refusal.wait)}
            response = render(request, "accounts/password_reset_limited.html", context, status=429)
            response["Retry-After"] = str(int(refusal.wait or 60))
            return response
        services.password_reset_ask(email=form.cleaned_data["email"])
        return redirect("accounts:password_reset_sent")
    status = invalid_status(request) if form.errors else 200
    return render(request, "accounts/password_reset.html", {"form": form}, status=status)


@public
def password_reset_sent(request: HttpRequest) -> HttpResponse:
    return render(request, "accounts/password_reset_sent.html")


class PasswordResetConfirm(auth_views.PasswordResetConfirmView):
    """Django's view (it checks the link's token and moves it out of the address), with the project's form
    and page; the new password is on the audit record, and the account's other sessions end with it."""

    form_class = SetPasswordForm
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password_reset_done")

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        user: User = form.user
        services.password_reset_record(user=user)
        return response

    def form_invalid(self, form: Any) -> HttpResponse:
        response = super().form_invalid(form)
        response.status_code = invalid_status(self.request)
        return response


password_reset_confirm = public(PasswordResetConfirm.as_view())


@public
def password_reset_done(request: HttpRequest) -> HttpResponse:
    return render(request, "accounts/password_reset_done.html")
