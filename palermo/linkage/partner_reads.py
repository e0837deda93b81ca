"""Reads for a question to a partner NRM: the partner, and the person of a case whose identity the reviewer
may read (404 otherwise)."""

from __future__ import annotations

from django.http import Http404

from palermo.access.selectors import cases_readable_at
from palermo.access.tiers import Tier
from palermo.accounts.models import Membership
from palermo.cases.models import Person
from palermo.linkage.models import PartnerNRM, PartnerQuery
from palermo.linkage.services.duplicates import REVIEWERS


def partner_and_person(membership: Membership, partner_id: int, reference: str) -> tuple[PartnerNRM, Person]:
    if membership.role not in REVIEWERS:
        raise Http404
    partner = PartnerNRM.objects.filter(pk=partner_id, revoked_at__isnull=True).first()
    person = (
        Person.objects.filter(
            case__in=cases_readable_at(membership, Tier.IDENTITY).values("pk"),
            case__reference=reference.strip().upper(),
        )
        .select_related("case")
        .order_by("pk")
        .first()
    )
    if partner is None or person is None:
        raise Http404
    return partner, person


def partner_log(membership: Membership) -> list[PartnerQuery]:
    if membership.role not in REVIEWERS:
        raise Http404
    return list(PartnerQuery.objects.select_related("partner").order_by("-asked_at", "-pk")[:50])
