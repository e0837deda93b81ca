"""Reads of the country-of-origin information base and of the partner organisations.

Nothing here is about a person (T0): every staff role reads it, so the selectors take the user only to keep
the one shape of a read (a user without an active membership reads nothing).
"""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from palermo.accounts.models import User
from palermo.core import iso
from palermo.origin.models import Partner


def _may_read(user: User | None) -> bool:
    return user is not None and user.is_active and user.is_authenticated


def _partners() -> QuerySet[Partner]:
    return Partner.objects.prefetch_related("services", "languages")


def partners_for_country(user: User | None, country_code: str) -> QuerySet[Partner]:
    """The active partner organisations in a country (ISO 3166-1 alpha-3, any case), by name, with their
    services and languages prefetched; none for an unknown code. Kept stable: the return process and the
    transnational referral read partners through this."""
    code = iso.normalise_country(country_code)
    if code is None or not _may_read(user):
        return Partner.objects.none()
    return _partners().filter(country=code, is_active=True).order_by("name", "pk")


def partners(
    user: User | None, *, country: str = "", service: str = "", language: str = ""
) -> QuerySet[Partner]:
    """Every partner (active ones first), filtered by country, service and language."""
    if not _may_read(user):
        return Partner.objects.none()
    found = _partners()
    if country:
        found = found.filter(country=country)
    if service:
        found = found.filter(services__service=service)
    if language:
        found = found.filter(languages__language=language)
    return found.distinct().order_by("-is_active", "country", "name", "pk")


def partner_for(user: User | None, partner_id: int) -> Partner:
    found = partners(user).filter(pk=partner_id).first()
    if found is None:
        raise Http404
    return found
