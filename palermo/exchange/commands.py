"""What the exchange commands share: the acting membership, named by its id."""

from __future__ import annotations

from django.core.management.base import CommandError

from palermo.accounts.models import Membership


def membership_of(pk: int) -> Membership:
    membership = Membership.objects.select_related("user", "agency").filter(pk=pk, is_active=True).first()
    if membership is None or not membership.user.is_active:
        raise CommandError("No such active membership.", returncode=2)
    return membership
