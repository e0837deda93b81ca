"""Reads of the country-of-origin information base and of the partner organisations.

Nothing here is about a person (T0): every staff role reads it, so the selectors take the user only to keep
the one shape of a read (a user without an active membership reads nothing).
"""

from __future__ import annotations

from collections.abc import Collection

from django.db.models import BooleanField, ExpressionWrapper, Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from palermo.accounts.models import User
from palermo.core import iso
from palermo.core.narrowing import narrowed
from palermo.origin.models import Citation, CountryEntry, EntryStatus, Partner, Revision, SourceFile
from palermo.origin.services.entries import review_cutoff


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
    found = narrowed(_partners(), country=country, services__service=service, languages__language=language)
    return found.distinct().order_by("-is_active", "country", "name", "pk")


def partner_for(user: User | None, partner_id: int) -> Partner:
    return get_object_or_404(partners(user), pk=partner_id)


# --- country information entries ---------------------------------------------------------------------------


def entries(
    user: User | None,
    *,
    country: str = "",
    topic: str = "",
    region: str = "",
    status: str = "",
    due: bool = False,
) -> QuerySet[CountryEntry]:
    """Entries by country, topic, region and status, newest source first within a country and topic; each
    says whether it is due for review (`due_for_review`: current, not reviewed within the rulebook's period).
    The filters follow the indexes (country, topic, source date; topic, country; status, last review)."""
    if not _may_read(user):
        return CountryEntry.objects.none()
    cutoff = review_cutoff()
    found = (
        CountryEntry.objects.annotate(
            due_for_review=ExpressionWrapper(
                Q(status=EntryStatus.CURRENT, reviewed_on__lte=cutoff), output_field=BooleanField()
            )
        )
        .select_related("source_file")
        .defer("source_file__content")
    )
    found = narrowed(found, country=country, topic=topic, region=region, status=status)
    if due:
        found = found.filter(status=EntryStatus.CURRENT, reviewed_on__lte=cutoff)
    return found.order_by("country", "topic", "-source_date", "pk")


def entry_for(user: User | None, entry_id: int) -> CountryEntry:
    return get_object_or_404(entries(user), pk=entry_id)


def revisions_of(entry: CountryEntry) -> list[Revision]:
    return list(entry.revisions.order_by("-number"))


def source_file_for(user: User | None, entry_id: int) -> SourceFile:
    found = SourceFile.objects.filter(entry_id=entry_id).first() if _may_read(user) else None
    if found is None:
        raise Http404
    return found


def citations_for(decision_kind: str, decision_ids: Collection[int]) -> dict[int, list[Citation]]:
    """The citations of these decisions of one kind, by decision id, each with its entry (as it is now) and
    the revision it cited: one query. `citation.changed` says whether the entry changed since."""
    found: dict[int, list[Citation]] = {decision_id: [] for decision_id in decision_ids}
    if not decision_ids:
        return found
    rows = (
        Citation.objects.filter(decision_kind=decision_kind, decision_id__in=list(decision_ids))
        .select_related("entry", "revision")
        .order_by("decision_id", "entry__topic", "pk")
    )
    for citation in rows:
        found[citation.decision_id].append(citation)
    return found
