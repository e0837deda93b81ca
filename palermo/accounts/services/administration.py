"""Administration without a shell (docs/decisions/0032): invitations, roles, deactivation, second-factor
resets by two administrators, password resets. Each service takes the acting administrator's membership,
refuses (PermissionDenied, shown as 404) what lies outside the agencies they administer, and writes one
audit event; emails go out through the task queue once the change commits, with ids only as arguments."""

from __future__ import annotations

from datetime import timedelta
from functools import partial

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from palermo.accounts import notices
from palermo.accounts.models import Agency, Invitation, Membership, SecondFactorReset, User
from palermo.accounts.roles import AgencyType, Role
from palermo.accounts.selectors import administers, grantable_roles
from palermo.accounts.sessions import sessions_end
from palermo.audit.services import audit_on_record, audit_record
from palermo.core.links import hash_token


def _audit(actor: Membership | None, action: str, object_type: str, object_id: int, reason: str = "") -> None:
    audit_record(
        actor=actor.user if actor is not None else None,
        membership=actor,
        action=action,
        tier=0,
        object_type=object_type,
        object_id=str(object_id),
        reason=reason,
    )


def _must_administer(actor: Membership, agency_id: int | None) -> None:
    if not administers(actor, agency_id):
        raise PermissionDenied


def _must_grant(actor: Membership, role: Role | str) -> Role:
    try:
        role = Role(role)
    except ValueError:
        raise ValidationError({"role": _("Choose one of the roles listed.")}) from None
    if role not in grantable_roles(actor):
        raise ValidationError({"role": _("Only a system administrator may grant this role.")})
    return role


def _must_manage_account(actor: Membership, user: User) -> None:
    """An agency administrator manages a whole account only when every active membership of it is in their
    agency; a person who also works elsewhere keeps that account, and loses only the role here."""
    if actor.user_id == user.pk:
        raise ValidationError(_("You cannot do this to your own account; ask another administrator."))
    if actor.role == Role.SYSTEM_ADMINISTRATOR:
        return
    if (
        not administers(actor, actor.agency_id)
        or not user.memberships.filter(agency_id=actor.agency_id).exists()
    ):
        raise PermissionDenied
    if user.memberships.filter(is_active=True).exclude(agency_id=actor.agency_id).exists():
        raise ValidationError(
            _(
                "This person also works for another agency. End their role here; only a system administrator "
                "can deactivate the account."
            )
        )


@transaction.atomic
def agency_add(
    *,
    actor: Membership,
    name: str,
    type: AgencyType | str,
    region: str = "",
    phone: str = "",
    email: str = "",
) -> Agency:
    """A new agency, created by a system administrator."""
    if actor.role != Role.SYSTEM_ADMINISTRATOR:
        raise PermissionDenied
    name = name.strip()
    if Agency.objects.filter(name__iexact=name).exists():
        raise ValidationError({"name": _("An agency with this name already exists.")})
    try:
        agency_type = AgencyType(type)
    except ValueError:
        raise ValidationError({"type": _("Choose one of the types listed.")}) from None
    agency = Agency(
        name=name, type=agency_type, region=region.strip(), phone=phone.strip(), email=email.strip()
    )
    agency.full_clean()
    agency.save()
    _audit(actor, "agency.create", "agency", agency.pk)
    return agency


# --- invitations -------------------------------------------------------------------------------------------


@transaction.atomic
def invitation_create(
    *, actor: Membership, agency: Agency, role: Role | str, first_name: str, last_name: str, email: str
) -> Invitation:
    """A new account for a person who is not yet on the system, with one role in the agency, and an
    invitation by email to set a password and a second factor. The sign-in name is the email address."""
    _must_administer(actor, agency.pk)
    granted = _must_grant(actor, role)
    email = User.objects.normalize_email(email.strip()).lower()
    if (
        User.objects.filter(email__iexact=email).exists()
        or User.objects.filter(username__iexact=email).exists()
    ):
        raise ValidationError(
            {"email": _("An account with this email address already exists. Ask a system administrator.")}
        )
    user = User(username=email, email=email, first_name=first_name.strip(), last_name=last_name.strip())
    user.set_unusable_password()
    user.full_clean(exclude=["password"])
    user.save()
    membership = Membership.objects.create(user=user, agency=agency, role=granted)
    now = timezone.now()
    invitation = Invitation.objects.create(
        user=user,
        membership=membership,
        invited_by=actor.user,
        created_at=now,
        expires_at=now + timedelta(days=settings.PALERMO_INVITATION_DAYS),
    )
    _audit(
        actor,
        "user.invite",
        "user",
        user.pk,
        reason=f"membership {membership.pk}; invitation {invitation.pk}",
    )
    _send_invitation_on_commit(invitation.pk)
    return invitation


@transaction.atomic
def invitation_resend(*, actor: Membership, invitation: Invitation) -> Invitation:
    """Send a not-yet-used invitation again with a new link and a new expiry; the old link stops working."""
    _must_administer(actor, invitation.membership.agency_id)
    if invitation.used_at is not None:
        raise ValidationError(_("This invitation has been used; the person can sign in."))
    invitation.token_hash = ""
    invitation.expires_at = timezone.now() + timedelta(days=settings.PALERMO_INVITATION_DAYS)
    invitation.save(update_fields=["token_hash", "expires_at"])
    _audit(actor, "user.invite_resend", "user", invitation.user_id, reason=f"invitation {invitation.pk}")
    _send_invitation_on_commit(invitation.pk)
    return invitation


def _send_invitation_on_commit(invitation_id: int) -> None:
    transaction.on_commit(lambda: notices.send_invitation.enqueue(invitation_id))


@transaction.atomic
def invitation_accept(*, token: str, password: str) -> User:
    """The invited person sets their password through the link; the link is then used up. Their second
    factor is enrolled next, through the ordinary enrolment at the first sign-in."""
    invitation = (
        Invitation.objects.select_for_update()
        .select_related("user")
        .filter(token_hash=hash_token(token))
        .first()
        if token
        else None
    )
    if invitation is None or not invitation.is_open(timezone.now()):
        raise PermissionDenied
    user = invitation.user
    validate_password(password, user)
    user.set_password(password)
    user.save(update_fields=["password"])
    invitation.used_at = timezone.now()
    invitation.save(update_fields=["used_at"])
    audit_record(actor=user, action="user.invite_accept", tier=0, object_type="user", object_id=str(user.pk))
    return user


# --- roles and accounts ------------------------------------------------------------------------------------


@transaction.atomic
def role_grant(*, actor: Membership, user: User, agency: Agency, role: Role | str) -> Membership:
    """Grant a person a role in an agency the administrator administers (or give an ended one back)."""
    _must_administer(actor, agency.pk)
    granted = _must_grant(actor, role)
    membership, created = Membership.objects.get_or_create(user=user, agency=agency, role=granted)
    if not created and membership.is_active:
        raise ValidationError({"role": _("This person already has this role in this agency.")})
    if not membership.is_active:
        membership.is_active = True
        membership.save(update_fields=["is_active"])
    _audit(actor, "membership.grant", "membership", membership.pk)
    return membership


@transaction.atomic
def role_end(*, actor: Membership, membership: Membership) -> Membership:
    """End a person's role in an agency the administrator administers (kept on record, marked ended)."""
    _must_administer(actor, membership.agency_id)
    if membership.pk == actor.pk:
        raise ValidationError(_("You cannot end the role you are acting in; ask another administrator."))
    if not membership.is_active:
        raise ValidationError(_("This role has already ended."))
    membership.is_active = False
    membership.save(update_fields=["is_active"])
    _audit(actor, "membership.revoke", "membership", membership.pk)
    return membership


def user_deactivate(*, actor: Membership, user: User) -> User:
    """Close an account: it can no longer sign in, and every session it has open ends now."""
    return _user_active_set(actor, user, active=False)


def user_reactivate(*, actor: Membership, user: User) -> User:
    """Open a deactivated account again (its password and second factor as they were)."""
    return _user_active_set(actor, user, active=True)


@transaction.atomic
def _user_active_set(actor: Membership, user: User, *, active: bool) -> User:
    _must_manage_account(actor, user)
    if user.is_active == active:
        already = (
            _("This account is already active.") if active else _("This account is already deactivated.")
        )
        raise ValidationError(already)
    user.is_active = active
    user.save(update_fields=["is_active"])
    reason = "" if active else f"sessions ended: {sessions_end(user.pk)}"
    _audit(actor, "user.reactivate" if active else "user.deactivate", "user", user.pk, reason=reason)
    return user


# --- a lost second factor ----------------------------------------------------------------------------------


@transaction.atomic
def second_factor_reset_request(*, actor: Membership, user: User) -> SecondFactorReset:
    """First of two steps: an administrator asks for a person's second factor to be reset. Nothing changes
    until a second administrator confirms."""
    _must_manage_account(actor, user)
    agency_id = actor.agency_id
    if actor.role == Role.SYSTEM_ADMINISTRATOR:
        # The reset belongs to an agency where the person works, so that its administrators can confirm it.
        first = user.memberships.filter(is_active=True).order_by("agency__name").first()
        agency_id = first.agency_id if first is not None else actor.agency_id
    try:
        with transaction.atomic():
            reset = SecondFactorReset.objects.create(
                user=user, agency_id=agency_id, requested_by=actor.user, requested_at=timezone.now()
            )
    except IntegrityError:
        raise ValidationError(_("A reset is already waiting for a second administrator.")) from None
    _audit(actor, "user.second_factor_reset_request", "user", user.pk, reason=f"reset {reset.pk}")
    return reset


@transaction.atomic
def second_factor_reset_confirm(*, actor: Membership, reset: SecondFactorReset) -> SecondFactorReset:
    """Second step, by another administrator of the same agency or a system administrator: the person's
    authenticator and backup codes are removed, their sessions end, and they enrol again at their next
    sign-in. They are told by email."""
    _must_administer(actor, reset.agency_id)
    reset = SecondFactorReset.objects.select_for_update().select_related("user").get(pk=reset.pk)
    if reset.confirmed_at is not None:
        raise ValidationError(_("This reset has already been confirmed."))
    if reset.requested_by_id == actor.user_id:
        raise ValidationError(_("Another administrator must confirm the reset you asked for."))
    if reset.user_id == actor.user_id:
        raise ValidationError(_("You cannot do this to your own account; ask another administrator."))
    TOTPDevice.objects.filter(user_id=reset.user_id).delete()
    StaticDevice.objects.filter(user_id=reset.user_id).delete()
    ended = sessions_end(reset.user_id)
    reset.confirmed_by = actor.user
    reset.confirmed_at = timezone.now()
    reset.save(update_fields=["confirmed_by", "confirmed_at"])
    _audit(
        actor,
        "user.second_factor_reset",
        "user",
        reset.user_id,
        reason=f"reset {reset.pk}; sessions ended: {ended}",
    )
    reset_id = reset.pk
    transaction.on_commit(lambda: notices.send_second_factor_reset_notice.enqueue(reset_id))
    return reset


@transaction.atomic
def second_factor_reset_cancel(*, actor: Membership, reset: SecondFactorReset) -> None:
    _must_administer(actor, reset.agency_id)
    if reset.confirmed_at is not None:
        raise ValidationError(_("This reset has already been confirmed."))
    user_id, reset_id = reset.user_id, reset.pk
    reset.delete()
    _audit(actor, "user.second_factor_reset_cancel", "user", user_id, reason=f"reset {reset_id}")


# --- a forgotten password ----------------------------------------------------------------------------------


def password_reset_ask(*, email: str) -> None:
    """Someone asks for a password reset link for an address. Whether an account has it is never said: each
    matching active account with a password gets an email (sent by the worker); the ask is on the record
    either way, naming the account only when there is one."""
    users = list(
        User.objects.filter(email__iexact=email.strip(), is_active=True).exclude(password__startswith="!")  # noqa: S106 (unusable: not yet set)
    )
    with transaction.atomic():
        for user in users:
            audit_on_record(
                user,
                "user",
                "auth.password_reset_ask",
                0,
                actor=None,
            )
        if not users:
            audit_record(actor=None, action="auth.password_reset_ask", tier=0)
        for user in users:
            transaction.on_commit(partial(notices.send_password_reset.enqueue, user.pk))


def password_reset_record(*, user: User) -> None:
    """The password was set again through a reset link (the view sets it through Django's form)."""
    audit_record(actor=user, action="auth.password_reset", tier=0, object_type="user", object_id=str(user.pk))
