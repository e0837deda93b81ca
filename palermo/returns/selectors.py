"""Reads of the returns area. Case records: callers fetch the case through `visible_case` first, then read
its returns, resettlements and packages here, redacted to the reader's tiers (`shown`, read recorded once).
Received packages belong to no case until accepted: the agency that received one sees it, at T2 (what
arrived is identity), and the showing is recorded."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, QuerySet
from django.shortcuts import get_object_or_404

from palermo.access.tiered import Tiered, redact, redact_all
from palermo.access.tiers import Tier
from palermo.accounts.models import Membership
from palermo.cases.dates import DateKind, PersonDate
from palermo.cases.facts import has_none, nothing, preloaded
from palermo.cases.models import Case
from palermo.core.prefetching import with_their
from palermo.origin.models import Partner
from palermo.returns.models import (
    PackageDirection,
    PackageStatus,
    PartnerKey,
    Resettlement,
    ResettlementStep,
    ReturnFollowUp,
    ReturnStatus,
    TransnationalPackage,
    VoluntaryReturn,
)

RECEIVED_TIERS = frozenset({Tier.METADATA, Tier.IDENTITY})


def voluntary_returns(case: Case) -> QuerySet[VoluntaryReturn]:
    if has_none(case, VoluntaryReturn):
        return nothing(VoluntaryReturn.objects.all())
    returns = VoluntaryReturn.objects.filter(case=case).select_related("partner", "agency")
    return with_their(returns, "followups", ReturnFollowUp, "due_on", "id")


def resettlements(case: Case) -> QuerySet[Resettlement]:
    if has_none(case, Resettlement):
        return nothing(Resettlement.objects.all())
    started = Resettlement.objects.filter(case=case).select_related("agency")
    return with_their(started, "steps", ResettlementStep, "on", "id")


def sent_packages(case: Case) -> QuerySet[TransnationalPackage]:
    if has_none(case, TransnationalPackage):
        return nothing(TransnationalPackage.objects.all())
    return TransnationalPackage.objects.filter(case=case, direction=PackageDirection.SENT).select_related(
        "partner", "by", "agency"
    )


# The kinds of record the case page's returns section lists, each with the selector that reads them.
SECTION_RECORDS = {"returns": voluntary_returns, "resettlements": resettlements, "packages": sent_packages}


def page_reads(case: Case, tiers: frozenset[int]) -> dict[str, QuerySet[Any]]:
    """The section's reads, for the case page's one statement (palermo.cases.facts)."""
    return {f"returns.{kind}": read(case) for kind, read in SECTION_RECORDS.items()}


def section_records(case: Case, kind: str) -> list[Any]:
    return list(preloaded(case, f"returns.{kind}", lambda: SECTION_RECORDS[kind](case)))


def shown(case: Case, membership: Membership, tiers: frozenset[int], records: list[Any]) -> list[Tiered[Any]]:
    """A case's records as the reader may see them (fields above its tiers hidden, never decrypted); showing
    them above T1 is recorded once per request, at the highest tier shown."""
    return redact_all(records, tiers=tiers, membership=membership, case=case, action="returns.read")


def followup_of(case: Case, pk: int) -> ReturnFollowUp:
    return get_object_or_404(
        ReturnFollowUp.objects.filter(case=case).select_related("voluntary_return"), pk=pk
    )


# --- partners and their keys ----------


def partners_with_keys(countries: list[str] | None = None) -> QuerySet[Partner]:
    """Active partners (organisation data) whose keys are registered and in use, in `countries` if given."""
    found = Partner.objects.filter(is_active=True, keys__revoked_at__isnull=True).distinct()
    if countries is not None:
        found = found.filter(country__in=countries)
    return found.order_by("country", "name", "pk")


def partner_keys() -> QuerySet[PartnerKey]:
    return PartnerKey.objects.select_related(
        "partner", "registered_by", "revoked_by", "receiving_agency"
    ).order_by("revoked_at", "partner__country", "partner__name", "-registered_at")


# --- received packages ----------


def received_packages(membership: Membership) -> QuerySet[TransnationalPackage]:
    """The packages the membership's agency received, those awaiting a decision first (T1 columns)."""
    return (
        TransnationalPackage.objects.filter(
            direction=PackageDirection.RECEIVED, agency_id=membership.agency_id
        )
        .select_related("partner", "case")
        .defer("content", "token")
        .order_by("-status", "-at", "-pk")
    )


def awaiting_count(membership: Membership) -> int:
    return received_packages(membership).filter(status=PackageStatus.AWAITING).count()


def received_package(membership: Membership, pk: int) -> Tiered[TransnationalPackage]:
    """One received package of the membership's agency with what it carried (T2, recorded); 404 otherwise."""
    package = get_object_or_404(
        TransnationalPackage.objects.filter(
            direction=PackageDirection.RECEIVED, agency_id=membership.agency_id
        ).select_related("partner", "key", "case"),
        pk=pk,
    )
    return redact(
        package, tiers=RECEIVED_TIERS, membership=membership, case=None, action="returns.package.read"
    )


def received_package_row(membership: Membership, pk: int) -> TransnationalPackage:
    """The row a decision acts on (no content read)."""
    return get_object_or_404(received_packages(membership), pk=pk)


# --- the person's dates (the legal-status chart and the person's summary) ----------


def chart_dates(case: Case) -> list[PersonDate]:
    """For the legal-status chart: a planned return (its travel date; none yet while undated) and the
    follow-ups after a return not yet made. Case metadata (T1), never the country. One query on a case
    without a return (none when the page knows there is none), two with one."""
    if has_none(case, VoluntaryReturn):
        return []
    pending = ReturnFollowUp.objects.filter(contacted_on__isnull=True).only("due_on", "voluntary_return_id")
    records = (
        VoluntaryReturn.objects.filter(
            case=case, status__in=[ReturnStatus.REQUESTED, ReturnStatus.CLEARED, ReturnStatus.RETURNED]
        )
        .only("status", "travel_on", "requested_on")
        .prefetch_related(Prefetch("followups", queryset=pending))
    )
    dates: list[PersonDate] = []
    for record in records:
        if record.status != ReturnStatus.RETURNED:
            dates.append(PersonDate(DateKind.RETURN_PLANNED, on=record.travel_on, since=record.requested_on))
        dates.extend(PersonDate(DateKind.RETURN_FOLLOWUP, on=f.due_on) for f in record.followups.all())
    return dates


def consented_countries(case: Case) -> list[str]:
    """The countries the person consented to transfer to (consents that count now; case metadata)."""
    from palermo.returns.services.packages import transnational_consents

    return sorted(
        set(
            transnational_consents(case, None)
            .exclude(recipient_country="")
            .values_list("recipient_country", flat=True)
        )
    )
