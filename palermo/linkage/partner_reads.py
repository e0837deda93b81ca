"""Reads for a question to a partner NRM: the partner, and the person of a case whose identity the reviewer
may read (404 otherwise); and the registered partners, for a system administrator (404 for anyone else)."""

from __future__ import annotations

from django.db.models import Count, F, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404
from django.shortcuts import get_object_or_404

from palermo.access.selectors import cases_readable_at
from palermo.access.tiers import Tier
from palermo.accounts.models import Membership
from palermo.cases.models import Person
from palermo.linkage.models import PartnerEncoding, PartnerNRM, PartnerQuery
from palermo.linkage.services.duplicates import REVIEWERS
from palermo.linkage.services.partners import PARTNER_ADMINISTRATORS


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


# --- registration (docs/decisions/0053) -----------------------------------------------------------------


def partners_administered(membership: Membership) -> QuerySet[PartnerNRM]:
    """Every partner NRM, active ones first, each with how many of our persons are encoded under its secret
    (`encoded`) and how many questions went each way (`questions`); only for a system administrator."""
    if membership.role not in PARTNER_ADMINISTRATORS:
        raise Http404
    encoded = PartnerEncoding.objects.filter(partner=OuterRef("pk")).values("partner")
    asked = PartnerQuery.objects.filter(partner=OuterRef("pk")).values("partner")
    return PartnerNRM.objects.annotate(
        encoded=Coalesce(Subquery(encoded.annotate(count=Count("pk")).values("count")), 0),
        questions=Coalesce(Subquery(asked.annotate(count=Count("pk")).values("count")), 0),
    ).order_by(F("revoked_at").asc(nulls_first=True), "name", "pk")


def partner_administered(membership: Membership, partner_id: int) -> PartnerNRM:
    return get_object_or_404(partners_administered(membership), pk=partner_id)
