"""Every write to users, agencies and memberships. Views, commands and the API call these."""

from __future__ import annotations

from django.contrib.auth.password_validation import validate_password
from django.db import transaction

from palermo.accounts.models import Agency, Membership, User
from palermo.accounts.roles import AgencyType, Role
from palermo.audit.models import AuditEvent
from palermo.audit.services import audit_on_record, audit_record


@transaction.atomic
def agency_create(
    *,
    name: str,
    type: AgencyType | str,
    region: str = "",
    country: str = "",
    phone: str = "",
    email: str = "",
    actor: User | None = None,
) -> Agency:
    agency = Agency(
        name=name, type=AgencyType(type), region=region, country=country, phone=phone, email=email
    )
    agency.full_clean()
    agency.save()
    audit_record(actor=actor, action="agency.create", tier=0, object_type="agency", object_id=str(agency.pk))
    return agency


@transaction.atomic
def user_create(
    *,
    username: str,
    password: str,
    first_name: str = "",
    last_name: str = "",
    email: str = "",
    actor: User | None = None,
) -> User:
    user = User(username=username, first_name=first_name, last_name=last_name, email=email)
    validate_password(password, user)
    user.set_password(password)
    user.full_clean(exclude=["password"])
    user.save()
    audit_record(actor=actor, action="user.create", tier=0, object_type="user", object_id=str(user.pk))
    return user


@transaction.atomic
def membership_grant(
    *, user: User, agency: Agency, role: Role | str, actor: User | None = None
) -> Membership:
    membership, created = Membership.objects.get_or_create(user=user, agency=agency, role=Role(role))
    if not membership.is_active:
        membership.is_active = True
        membership.save(update_fields=["is_active"])
    elif not created:
        return membership  # already granted: nothing changed, nothing to record
    _audit_membership(actor, "membership.grant", membership)
    return membership


@transaction.atomic
def membership_revoke(*, membership: Membership, actor: User | None = None) -> None:
    if not membership.is_active:
        return
    membership.is_active = False
    membership.save(update_fields=["is_active"])
    _audit_membership(actor, "membership.revoke", membership)


def _audit_membership(actor: User | None, action: str, membership: Membership) -> None:
    audit_record(actor=actor, action=action, tier=0, object_type="membership", object_id=str(membership.pk))


# Sign-in events. A failed sign-in names the account only when it exists: a typed username that matches no
# account may be a mistyped password or someone's real name, and is never stored.


def sign_in_record(*, user: User) -> AuditEvent:
    return audit_record(actor=user, action="auth.sign_in", tier=0, object_type="user", object_id=str(user.pk))


def sign_in_failure_record(*, username: str) -> AuditEvent:
    account = User.objects.filter(**{User.USERNAME_FIELD: username}).only("pk").first() if username else None
    return audit_record(
        actor=None,
        action="auth.sign_in_failed",
        tier=0,
        object_type="user" if account else "",
        object_id=str(account.pk) if account else "",
    )


def two_factor_failure_record(*, user: User) -> AuditEvent:
    return audit_record(
        actor=user, action="auth.two_factor_failed", tier=0, object_type="user", object_id=str(user.pk)
    )


def sign_out_record(*, user: User, membership: Membership | None) -> AuditEvent:
    return audit_on_record(
        user,
        "user",
        "auth.sign_out",
        0,
        actor=user,
        membership=membership,
    )
