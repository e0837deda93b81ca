"""Reads of accounts for their administration (docs/decisions/0032): what an administrator may see and act on.

A system administrator administers every agency; an agency administrator only the agency of the membership
they act through. Anything outside that reads as missing (404), like a case outside one's access.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from django.db.models import Count, Model, Prefetch, Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone

from palermo.accounts.models import Agency, Invitation, Membership, Notice, SecondFactorReset, User
from palermo.accounts.roles import Role
from palermo.core.links import hash_token

Found = TypeVar("Found", bound=Model)


def administers(membership: Membership, agency_id: int | None) -> bool:
    """Whether the acting membership administers the accounts of this agency."""
    if membership.role == Role.SYSTEM_ADMINISTRATOR:
        return True
    return membership.role == Role.AGENCY_ADMINISTRATOR and agency_id == membership.agency_id


def grantable_roles(membership: Membership) -> list[Role]:
    """The roles this administrator may grant: all but the system administrator's, which only a system
    administrator grants."""
    if membership.role == Role.SYSTEM_ADMINISTRATOR:
        return list(Role)
    if membership.role == Role.AGENCY_ADMINISTRATOR:
        return [role for role in Role if role != Role.SYSTEM_ADMINISTRATOR]
    return []


def agencies_administered(membership: Membership) -> QuerySet[Agency]:
    agencies = Agency.objects.annotate(members=Count("memberships", filter=Q(memberships__is_active=True)))
    if membership.role != Role.SYSTEM_ADMINISTRATOR:
        agencies = agencies.filter(
            pk=membership.agency_id if administers(membership, membership.agency_id) else 0
        )
    return agencies.order_by("name", "pk")


def agency_administered(membership: Membership, agency_id: int) -> Agency:
    return get_object_or_404(agencies_administered(membership), pk=agency_id)


def _administered(
    membership: Membership, rows: QuerySet[Found], pk: int, agency_of: Callable[[Found], int | None]
) -> Found:
    """The row `pk` of `rows` when this administrator administers its agency (`agency_of` it); else 404."""
    found = rows.filter(pk=pk).first()
    if found is None or not administers(membership, agency_of(found)):
        raise Http404
    return found


def staff_of(agency: Agency) -> QuerySet[User]:
    """Everyone with a membership in the agency, active or ended, with those memberships (one query each)."""
    in_agency = Membership.objects.filter(agency=agency).order_by("-is_active", "role")
    return (
        User.objects.filter(memberships__agency=agency)
        .distinct()
        .prefetch_related(Prefetch("memberships", queryset=in_agency, to_attr="agency_memberships"))
        .order_by("last_name", "first_name", "pk")
    )


def account_administered(membership: Membership, user_id: int) -> User:
    """A person whose account this administrator may manage: one with a membership (active or ended) in an
    agency they administer. Anyone else is missing."""
    users = User.objects.filter(pk=user_id)
    if membership.role != Role.SYSTEM_ADMINISTRATOR:
        users = users.filter(memberships__agency_id=membership.agency_id)
    user = users.distinct().first()
    if user is None or not administers(membership, membership.agency_id):
        raise Http404
    return user


def memberships_administered(membership: Membership, user: User) -> list[Membership]:
    """The person's memberships that this administrator manages (all, for a system administrator)."""
    memberships = user.memberships.select_related("agency").order_by("-is_active", "agency__name", "role")
    if membership.role != Role.SYSTEM_ADMINISTRATOR:
        memberships = memberships.filter(agency_id=membership.agency_id)
    return list(memberships)


def membership_administered(membership: Membership, membership_id: int) -> Membership:
    rows = Membership.objects.select_related("agency", "user")
    return _administered(membership, rows, membership_id, lambda found: found.agency_id)


def open_invitations(agency: Agency) -> QuerySet[Invitation]:
    """Invitations of the agency not yet used (expired ones too: they can be sent again)."""
    return (
        Invitation.objects.filter(membership__agency=agency, used_at__isnull=True)
        .select_related("user", "membership")
        .order_by("-created_at", "-pk")
    )


def invitation_administered(membership: Membership, invitation_id: int) -> Invitation:
    rows = Invitation.objects.select_related("membership", "user")
    return _administered(membership, rows, invitation_id, lambda found: found.membership.agency_id)


def invitation_for_token(token: str) -> Invitation | None:
    """The invitation a link's token opens, if it is still open (neither used nor expired)."""
    if not token:
        return None
    found = Invitation.objects.select_related("user").filter(token_hash=hash_token(token)).first()
    return found if found is not None and found.is_open(timezone.now()) else None


def open_resets(agency: Agency) -> QuerySet[SecondFactorReset]:
    """Second-factor resets asked for in the agency and waiting for a second administrator."""
    return (
        SecondFactorReset.objects.filter(agency=agency, confirmed_at__isnull=True)
        .select_related("user", "requested_by")
        .order_by("requested_at", "pk")
    )


def open_reset_of(user: User) -> SecondFactorReset | None:
    return (
        SecondFactorReset.objects.filter(user=user, confirmed_at__isnull=True)
        .select_related("requested_by")
        .first()
    )


def reset_administered(membership: Membership, reset_id: int) -> SecondFactorReset:
    rows = SecondFactorReset.objects.select_related("user", "agency")
    return _administered(membership, rows, reset_id, lambda found: found.agency_id)


def notices_of(user: User) -> QuerySet[Notice]:
    """One's own notices, newest first (docs/decisions/0033)."""
    return Notice.objects.filter(user=user).order_by("-created_at", "-pk")


def notice_of(user: User, notice_id: int) -> Notice:
    """One of one's own notices; 404 for anyone else's."""
    return get_object_or_404(notices_of(user), pk=notice_id)
