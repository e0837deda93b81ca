"""Reads of contact requests: the waiting ones of the agency a duty worker acts for, and one of them; 404 for
everyone else (another agency, a role without the duty, a request taken by someone else or lapsed). Its
contact is decrypted for the worker who picked it up only, a T2 (or, for a meeting, T3) read noted in the
audit log by the kernel. And the public pages' reads: the directory's services by region, the regions."""

from __future__ import annotations

from dataclasses import dataclass

import pycountry
from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import get_language_info

from palermo.access.tiered import note_read
from palermo.access.tiers import Tier
from palermo.accounts.models import Agency, Membership
from palermo.assistance.models import LOCATION_KINDS
from palermo.assistance.selectors import directory
from palermo.core.rulebooks import rulebook
from palermo.portal.models import Channel, ContactRequest, ContactStatus
from palermo.portal.services import OBJECT_TYPE, has_duty


def contact_requests_of(membership: Membership) -> QuerySet[ContactRequest]:
    """Waiting requests of the member's agency not past their time, and those the member picked up; oldest
    first; their contact left encrypted. Nothing for a role without the duty."""
    if not has_duty(membership):
        return ContactRequest.objects.none()
    waiting = Q(status=ContactStatus.WAITING, expires_at__gt=timezone.now())
    mine = Q(status=ContactStatus.PICKED_UP, picked_up_by_id=membership.user_id)
    return ContactRequest.objects.filter(waiting | mine, agency_id=membership.agency_id).defer(
        "contact", "meeting"
    )


def contact_request_for(membership: Membership, pk: int) -> ContactRequest:
    """One request, for a duty worker of its agency (404 for anyone else); its contact still encrypted."""
    return get_object_or_404(contact_requests_of(membership), pk=pk)


@dataclass(frozen=True)
class Reach:
    contact: str
    meeting: str


def reach_of(membership: Membership, request: ContactRequest) -> Reach | None:
    """How to reach the person, for the worker who picked the request up only (None for anyone else); the
    read is noted at T2, or T3 for a place to meet."""
    if request.status != ContactStatus.PICKED_UP or request.picked_up_by_id != membership.user_id:
        return None
    row = ContactRequest.objects.only("contact", "meeting", "row_key").get(pk=request.pk)
    note_read(
        membership=membership,
        case=None,
        tier=Tier.LOCATION if request.channel == Channel.MEETING else Tier.IDENTITY,
        action="portal.contact_request.read",
        object_type=OBJECT_TYPE,
        object_ids=[request.pk],
    )
    return Reach(contact=row.contact, meeting=row.meeting)


# --- the public pages: organisations only, never a person -------------------------------------------------


@dataclass(frozen=True)
class PublicService:
    name: str
    provider: str
    contact: str
    languages: tuple[str, ...]  # each named in itself where Django knows it, else its code


@dataclass(frozen=True)
class RegionHelp:
    region: str  # "" for the services that cover the whole country
    services: tuple[PublicService, ...]


def _language_name(code: str) -> str:
    found = pycountry.languages.get(alpha_3=code)
    short = getattr(found, "alpha_2", "") if found is not None else ""
    try:
        return str(get_language_info(short)["name_local"]) if short else code
    except KeyError:
        return str(getattr(found, "name", code))


def help_by_region() -> list[RegionHelp]:
    """The active services of the directory a person may call or walk into, by the region they cover (those
    with no region first, as the whole country's). Never a safe house: where one is, is location (T3)."""
    services = directory().exclude(kind__in=LOCATION_KINDS)
    regions: dict[str, list[PublicService]] = {}
    for service in services:
        shown = PublicService(
            name=service.name,
            provider=service.agency.name,
            contact=service.contact,
            languages=tuple(_language_name(row.language) for row in service.languages.all()),
        )
        for region in [row.region for row in service.regions.all()] or [""]:
            regions.setdefault(region, []).append(shown)
    return [
        RegionHelp(region, tuple(regions[region])) for region in sorted(regions, key=lambda r: (r != "", r))
    ]


def contact_regions() -> list[str]:
    """The regions a contact request may name: those of the active agencies that pick requests up."""
    agency_type = rulebook().portal.contact_agency_type
    found = (
        Agency.objects.filter(type=agency_type, is_active=True)
        .exclude(region="")
        .values_list("region", flat=True)
    )
    return sorted(set(found))
