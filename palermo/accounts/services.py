"""Every write to users, agencies and memberships. Views, commands and the API call these."""

from __future__ import annotations

from django.contrib.auth.password_validation import validate_password
from django.db import transaction

from palermo.accounts.models import Agency, Membership, User
from palermo.accounts.roles import AgencyType, Role


@transaction.atomic
def agency_create(*, name: str, type: AgencyType | str, region: str = "", country: str = "") -> Agency:
    agency = Agency(name=name, type=AgencyType(type), region=region, country=country)
    agency.full_clean()
    agency.save()
    return agency


@transaction.atomic
def user_create(
    *, username: str, password: str, first_name: str = "", last_name: str = "", email: str = ""
) -> User:
    user = User(username=username, first_name=first_name, last_name=last_name, email=email)
    validate_password(password, user)
    user.set_password(password)
    user.full_clean(exclude=["password"])
    user.save()
    return user


@transaction.atomic
def membership_grant(*, user: User, agency: Agency, role: Role | str) -> Membership:
    membership, _ = Membership.objects.get_or_create(user=user, agency=agency, role=Role(role))
    if not membership.is_active:
        membership.is_active = True
        membership.save(update_fields=["is_active"])
    return membership


@transaction.atomic
def membership_revoke(*, membership: Membership) -> None:
    membership.is_active = False
    membership.save(update_fields=["is_active"])
