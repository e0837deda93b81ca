"""Sign-in, second factor, choosing the acting agency, signing out (thin: the work is in two_factor.py); the
home page of each role, and the directory of agencies and users for the system administrator."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import login as auth_login
from django.contrib.auth import logout as auth_logout
from django.db.models import Count, Prefetch, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST
from django_otp import login as otp_login
from django_otp.models import Device

from palermo.access import limits
from palermo.access.declare import allow, any_member, public, signed_in
from palermo.accounts import two_factor
from palermo.accounts.active import acting, active_membership, set_active_membership
from palermo.accounts.forms import ChooseMembershipForm, EnrolForm, LoginForm, TokenForm
from palermo.accounts.home import home_panels
from palermo.accounts.models import Agency, Membership, User
from palermo.accounts.roles import ROLE_INFO, Role
from palermo.accounts.services import (
    sign_in_failure_record,
    sign_in_record,
    sign_out_record,
    two_factor_failure_record,
)
from palermo.core.web import paged, posted


def _next_url(request: HttpRequest) -> str:
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(candidate, {request.get_host()}, require_https=request.is_secure()):
        return candidate
    return ""


@public
@never_cache
@sensitive_post_parameters("password")
def login(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("core:home")
    if request.method == "POST" and not limits.standing(request, door="sign_in_address").allowed:
        # Counted as well, so the first refusal of the window is on the audit log.
        return _address_refused(request, limits.hit(request, door="sign_in_address"))
    form = LoginForm(request, data=posted(request))
    if request.method == "POST" and form.is_valid():
        auth_login(request, form.get_user())
        sign_in_record(user=form.get_user())
        next_url = _next_url(request)
        if next_url:
            request.session["palermo_next"] = next_url
        return redirect("accounts:two_factor")
    if request.method == "POST":
        sign_in_failure_record(username=request.POST.get("username", ""))
        limits.hit(request, door="sign_in_address")
    return render(request, "accounts/login.html", {"form": form, "next": _next_url(request)})


def _address_refused(request: HttpRequest, verdict: limits.Verdict) -> HttpResponse:
    """Too many failed sign-ins from this network address, whichever accounts were tried (429)."""
    context = {"minutes": limits.minutes(verdict.retry_after)}
    response = render(request, "accounts/sign_in_limited.html", context, status=429)
    response["Retry-After"] = str(int(verdict.retry_after or 60))
    return response


def _second_factor_passed(request: HttpRequest, device: Device) -> None:
    otp_login(request, device)
    # More rights now than with the password alone: a new session key, so an earlier one is worth nothing.
    request.session.cycle_key()


def _needs_second_factor(request: HttpRequest) -> bool:
    return request.user.needs_two_factor and not request.user.is_verified()  # type: ignore[union-attr]


def _after_verification(request: HttpRequest) -> HttpResponse:
    if active_membership(request) is None and len(request.user.active_memberships()) > 1:  # type: ignore[union-attr]
        return redirect("accounts:choose_membership")
    return redirect(request.session.pop("palermo_next", "") or "core:home")


@signed_in
@never_cache
@sensitive_post_parameters("token")
def two_factor_verify(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not _needs_second_factor(request):
        return _after_verification(request)
    if two_factor.confirmed_totp(user) is None:  # type: ignore[arg-type]
        return redirect("accounts:enrol")
    form = TokenForm(posted(request))
    if request.method == "POST" and form.is_valid():
        check = two_factor.second_factor_verify(user, form.cleaned_data["token"])  # type: ignore[arg-type]
        if check.device is not None:
            _second_factor_passed(request, check.device)
            return _after_verification(request)
        two_factor_failure_record(user=user)  # type: ignore[arg-type]
        form.add_error("token", _wrong_code_message(check.retry_after))
    return render(request, "accounts/two_factor.html", {"form": form})


def _wrong_code_message(retry_after: int) -> str:
    if retry_after:
        return ngettext(
            "Too many wrong codes in a row. Wait %(seconds)d second, then enter the current code.",
            "Too many wrong codes in a row. Wait %(seconds)d seconds, then enter the current code.",
            retry_after,
        ) % {"seconds": retry_after}
    return _("That code is not valid. Codes change every 30 seconds; try the current one.")


@signed_in
@never_cache
@sensitive_post_parameters("token")
def enrol(request: HttpRequest) -> HttpResponse:
    user = request.user
    if two_factor.confirmed_totp(user) is not None:  # type: ignore[arg-type]
        return redirect("accounts:two_factor")
    device = two_factor.pending_totp(user)  # type: ignore[arg-type]
    form = EnrolForm(posted(request))
    if request.method == "POST" and form.is_valid():
        if two_factor.totp_confirm(device, form.cleaned_data["token"]):
            _second_factor_passed(request, device)
            codes = two_factor.backup_codes_regenerate(user)  # type: ignore[arg-type]
            return render(request, "accounts/backup_codes.html", {"codes": codes, "first_time": True})
        form.add_error("token", _("That code does not match. Check the time on your phone and try again."))
    context = {
        "form": form,
        "qr_code": two_factor.qr_code_data_uri(device),
        "secret": two_factor.totp_secret_base32(device),
    }
    return render(request, "accounts/enrol.html", context)


@any_member
@never_cache
def backup_codes(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        codes = two_factor.backup_codes_regenerate(request.user)  # type: ignore[arg-type]
        return render(request, "accounts/backup_codes.html", {"codes": codes, "first_time": False})
    remaining = two_factor.backup_codes_remaining(request.user)  # type: ignore[arg-type]
    return render(request, "accounts/backup_codes.html", {"remaining": remaining})


@signed_in
@never_cache
def choose_membership(request: HttpRequest) -> HttpResponse:
    if _needs_second_factor(request):
        # Signed-in is enough to reach this page, but not to see one's agencies before the second factor.
        return redirect("accounts:two_factor")
    if next_url := _next_url(request):
        request.session["palermo_next"] = next_url
    memberships = request.user.active_memberships()  # type: ignore[union-attr]
    form = ChooseMembershipForm(posted(request), memberships=memberships)
    if request.method == "POST" and form.is_valid():
        membership = set_active_membership(request, form.cleaned_data["membership"])
        if membership is not None:
            messages.success(request, _("You are now acting as %(membership)s.") % {"membership": membership})
            return redirect(request.session.pop("palermo_next", "") or "core:home")
    current = active_membership(request)
    return render(
        request,
        "accounts/choose_membership.html",
        {"form": form, "memberships": memberships, "current": current},
    )


@signed_in
@require_POST
def logout(request: HttpRequest) -> HttpResponse:
    sign_out_record(user=request.user, membership=active_membership(request))  # type: ignore[arg-type]
    auth_logout(request)  # flushes the session: the server forgets it
    messages.info(request, _("You have signed out."))
    return redirect("accounts:login")


@any_member
@never_cache
def home(request: HttpRequest) -> HttpResponse:
    """The acting role's home page: its worklists, the panels the areas register for the role
    (palermo.accounts.home); a role no area serves has the page that says what it is for
    (core/home/<role>.html)."""
    membership = acting(request).membership
    role = Role(membership.role)
    context = {
        "role": role,
        "role_info": ROLE_INFO[role],
        "panels": home_panels(request, membership),
        "home_template": f"core/home/{role.value}.html",
    }
    return render(request, "core/home.html", context)


DIRECTORY_PAGE_SIZE = 50


@allow(Role.SYSTEM_ADMINISTRATOR)
def directory(request: HttpRequest) -> HttpResponse:
    """Agencies with their active member counts, and users with their active memberships: configuration
    data only, no case content. Each list pages on its own (?agencies=N, ?users=N); the number of queries
    does not grow with the number of rows."""
    agencies = Agency.objects.annotate(
        members=Count("memberships", filter=Q(memberships__is_active=True))
    ).order_by("name", "pk")
    active_memberships = Membership.objects.filter(is_active=True).select_related("agency")
    users = User.objects.prefetch_related(
        Prefetch("memberships", queryset=active_memberships.order_by("agency__name", "role"))
    ).order_by("username", "pk")
    context = {
        "agencies": paged(request, agencies, DIRECTORY_PAGE_SIZE, param="agencies"),
        "users": paged(request, users, DIRECTORY_PAGE_SIZE, param="users"),
    }
    return render(request, "core/directory.html", context)
