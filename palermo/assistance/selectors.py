"""Reads of the assistance area: the directory (no personal data) and a case's assessments, plan,
referrals and placements (the case itself read first through `palermo.access.selectors.case_for`).

What a provider sees of a referral is in palermo.assistance.package, not here.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import Count, Exists, F, OuterRef, Prefetch, Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from palermo.access.models import CaseTeamMember
from palermo.access.tiered import Tiered, note_read
from palermo.access.tiers import Tier
from palermo.accounts.models import Agency, Membership, User
from palermo.assistance.models import (
    HEALTH_KINDS,
    LOCATION_KINDS,
    AssessedNeed,
    AssistancePlan,
    NeedsAssessment,
    Placement,
    PlanService,
    PlanStatus,
    ProviderService,
    Referral,
    ServiceKind,
    service_tier,
)
from palermo.audit.services import audit_record
from palermo.cases.child import case_is_child
from palermo.cases.facts import first_of, has_none, nothing, preloaded, preloaded_first
from palermo.cases.models import Case
from palermo.cases.records import record_on_case

# --- the directory ---


def directory(
    *,
    kind: str = "",
    language: str = "",
    region: str = "",
    children: bool | None = None,
    active_only: bool = True,
) -> QuerySet[ProviderService]:
    """Services with their provider, languages, regions and places taken, in a fixed number of queries."""
    services = (
        ProviderService.objects.select_related("agency")
        .prefetch_related("languages", "regions")
        .annotate(taken=Count("placements", filter=Q(placements__ended_at__isnull=True)))
        .order_by("kind", "name", "pk")
    )
    if active_only:
        services = services.filter(is_active=True, agency__is_active=True)
    if kind:
        services = services.filter(kind=kind)
    if language:
        services = services.filter(languages__language=language)
    if region:
        services = services.filter(regions__region__iexact=region)
    if children is not None:
        services = services.filter(serves_children=children)
    return services


def service_for(service_id: int, *, active_only: bool = False) -> ProviderService:
    return get_object_or_404(directory(active_only=active_only), pk=service_id)


def services_for_case(case: Case) -> QuerySet[ProviderService]:
    """Active services whose age eligibility fits the case (gender is checked when referring)."""
    services = directory()
    return (
        services.filter(serves_children=True) if case_is_child(case) else services.filter(serves_adults=True)
    )


# --- a case's assistance ---


def case_staff(case: Case) -> QuerySet[User]:
    """The people who may be responsible for a plan or a plan's service: active members of the agencies on
    the case team, and the people named on it."""
    entries = CaseTeamMember.objects.filter(case=case, removed_at__isnull=True)
    whole_agencies = entries.filter(user__isnull=True).values("agency_id")
    named = entries.filter(user__isnull=False).values("user_id")
    members = Membership.objects.filter(
        is_active=True, agency__is_active=True, agency_id__in=whole_agencies
    ).values("user_id")
    return User.objects.filter(Q(pk__in=members) | Q(pk__in=named), is_active=True).order_by(
        "last_name", "first_name", "username"
    )


def case_worker(case: Case, plan: AssistancePlan | None) -> tuple[User | None, Agency]:
    """Who the person's summary names as their case worker, and the agency that answers for them: the plan's
    responsible person and the agency they are on the team for (named, or as a member of an agency on it);
    without a plan, the first person the lead agency named on the team, and the lead agency."""
    entries = CaseTeamMember.objects.filter(case=case, removed_at__isnull=True)
    if plan is not None:
        worker = plan.responsible
        memberships = {"agency__memberships__user": worker, "agency__memberships__is_active": True}
        as_member = Q(user__isnull=True, **memberships)
        entry = (
            entries.filter(Q(user=worker) | as_member)
            .select_related("agency")
            .order_by(F("user").asc(nulls_last=True), "added_at", "pk")
            .first()
        )
        return worker, entry.agency if entry is not None else case.lead_agency
    named = entries.filter(agency=case.lead_agency_id, user__isnull=False).select_related("user")
    entry = named.order_by("added_at", "pk").first()
    return (entry.user if entry is not None else None), case.lead_agency


def latest_assessment(case: Case) -> NeedsAssessment | None:
    if has_none(case, NeedsAssessment):
        return None
    return preloaded_first(case, "assistance.assessment", lambda: _assessments(case))


def _assessments(case: Case) -> QuerySet[NeedsAssessment]:
    return (
        NeedsAssessment.objects.filter(case=case)
        .select_related("assessed_by")
        .prefetch_related(Prefetch("needs", queryset=AssessedNeed.objects.order_by("kind")))
        .order_by("-assessed_at", "-pk")
    )


def _active_plans(case: Case) -> QuerySet[AssistancePlan]:
    return (
        AssistancePlan.objects.filter(case=case, status=PlanStatus.ACTIVE)
        .select_related("responsible")
        .prefetch_related(Prefetch("services", queryset=PlanService.objects.select_related("responsible")))
    )


def page_reads(case: Case, tiers: frozenset[int]) -> dict[str, QuerySet[Any]]:
    """The assistance section's reads, for the case page's one statement (palermo.cases.facts)."""
    reads: dict[str, QuerySet[Any]] = {
        "assistance.referrals": _case_referrals(case),
        "assistance.placements": _case_placements(case),
    }
    if not has_none(case, NeedsAssessment):
        reads["assistance.assessment"] = first_of(_assessments(case))
    if not has_none(case, AssistancePlan):
        reads["assistance.plan"] = first_of(_active_plans(case))
    return reads


def active_plan(case: Case) -> AssistancePlan | None:
    if has_none(case, AssistancePlan):
        return None
    plan = preloaded_first(case, "assistance.plan", lambda: _active_plans(case))
    if plan is not None:
        plan.case = case
    return plan


def plan_for(case: Case, plan_id: int) -> AssistancePlan:
    return record_on_case(
        AssistancePlan.objects.filter(case=case).select_related("responsible"), case, plan_id
    )


def plan_service_for(case: Case, item_id: int) -> PlanService:
    item = PlanService.objects.filter(plan__case=case, pk=item_id).select_related("plan").first()
    if item is None:
        raise Http404
    item.plan.case = case
    return item


def case_referrals(case: Case) -> QuerySet[Referral]:
    return preloaded(case, "assistance.referrals", lambda: _case_referrals(case))


def _case_referrals(case: Case) -> QuerySet[Referral]:
    if has_none(case, Referral):
        return nothing(Referral.objects.all())
    return (
        Referral.objects.filter(case=case)
        .select_related("service", "provider", "sent_by")
        .prefetch_related("languages")
        .order_by("-sent_at", "-pk")
    )


def case_referral_for(case: Case, referral_id: int) -> Referral:
    return record_on_case(case_referrals(case), case, referral_id)


def case_placements(case: Case) -> QuerySet[Placement]:
    return preloaded(case, "assistance.placements", lambda: _case_placements(case))


def _case_placements(case: Case) -> QuerySet[Placement]:
    if has_none(case, Placement):
        return nothing(Placement.objects.all())
    placements = Placement.objects.filter(case=case)
    return placements.select_related("service__agency").order_by("-started_at", "-pk")


def case_placement_for(case: Case, placement_id: int) -> Placement:
    return record_on_case(case_placements(case), case, placement_id)


@dataclass(frozen=True)
class CaseAssistance:
    """A case's assistance as one reader is shown it: the assessment only with T4; referrals and stays as
    tiered records (which safe house, and a health service's kind, withheld from readers without T3/T4)."""

    plan: Any
    assessment: Any
    referrals: list[Tiered[Referral]]
    placements: list[Tiered[Placement]]


def case_assistance_shown(case: Case, membership: Membership, tiers: Iterable[int]) -> CaseAssistance:
    """The case's assistance records for a page or answer. Showing the plan, assessment or specific needs
    (T4), an address or which safe house (T3), or a health service (T4) is recorded once per request, at the
    highest tier actually shown."""
    tiers = frozenset(tiers)
    referrals, placements = list(case_referrals(case)), list(case_placements(case))
    shown = CaseAssistance(
        plan=active_plan(case),
        assessment=latest_assessment(case) if Tier.NARRATIVE in tiers else None,
        referrals=[Tiered(referral, tiers) for referral in referrals],
        placements=[Tiered(placement, tiers) for placement in placements],
    )
    narrative = shown.plan or shown.assessment or any(r.specific_needs for r in referrals)
    if Tier.NARRATIVE in tiers and narrative:
        plan_shown(case, membership, shown.plan)
    elif Tier.LOCATION in tiers and any(placement.address for placement in placements):
        _note(case, membership, Tier.LOCATION, [placement.pk for placement in placements])
    for tiered_records in (shown.referrals, shown.placements):
        proxies = [item for item in tiered_records if item.row_tier_shown > Tier.METADATA]
        if proxies:
            tier = max(item.row_tier_shown for item in proxies)
            _note(case, membership, tier, [item.record.pk for item in proxies])
    return shown


def plan_shown(case: Case, membership: Membership, plan: Any) -> Any:
    """A plan (T4) opened to be read or edited: recorded once per request."""
    _note(case, membership, Tier.NARRATIVE, [plan.pk] if plan is not None else [])
    return plan


def summary_printed(membership: Membership, case: Case, language: str) -> Case:
    """The case whose printable summary (it shows the plan, T4) is about to be made: every print is recorded,
    with its language."""
    with transaction.atomic():
        audit_record(
            actor=membership.user,
            membership=membership,
            action="assistance.summary_print",
            tier=Tier.NARRATIVE,
            case=case,
            object_type="case",
            object_id=str(case.pk),
            reason=f"language: {language}",
        )
    return case


def _note(case: Case, membership: Membership, tier: Tier, ids: list[int]) -> None:
    note_read(
        membership=membership,
        case=case,
        tier=tier,
        action="assistance.read",
        object_type="assistance",
        object_ids=ids,
    )


def agency_service_tier(agency_id: int) -> int | None:
    """What naming this agency on a case says through the directory (palermo.accounts.proxies): T3 when it
    offers (or offered) safe accommodation, T4 when it offers medical or psycho-social care."""
    tiers = {
        service_tier(kind)
        for kind in ProviderService.objects.filter(agency_id=agency_id)
        .order_by()
        .values_list("kind", flat=True)
        .distinct()
    }
    if Tier.LOCATION in tiers:
        return int(Tier.LOCATION)
    return int(Tier.NARRATIVE) if Tier.NARRATIVE in tiers else None


def agency_service_annotations(agency_path: str) -> dict[int, Any]:
    """`agency_service_tier` as expressions on the agency id at `agency_path`, for a list in one query."""
    offers = ProviderService.objects.filter(agency_id=OuterRef(agency_path))
    return {
        int(Tier.LOCATION): Exists(offers.filter(kind__in=LOCATION_KINDS)),
        int(Tier.NARRATIVE): Exists(offers.filter(kind__in=HEALTH_KINDS)),
    }


def agency_service_tiers(agency_ids: set[int]) -> dict[int, set[int]]:
    """`agency_service_annotations` for many agencies in one query (palermo.accounts.proxies)."""
    found: dict[int, set[int]] = {}
    offers = (
        ProviderService.objects.filter(agency_id__in=agency_ids, kind__in=[*LOCATION_KINDS, *HEALTH_KINDS])
        .order_by()
        .values_list("agency_id", "kind")
        .distinct()
    )
    for agency_id, kind in offers:
        tiers = found.setdefault(agency_id, set())
        if kind in LOCATION_KINDS:
            tiers.add(int(Tier.LOCATION))
        if kind in HEALTH_KINDS:
            tiers.add(int(Tier.NARRATIVE))
    return found


def service_kind_label(kind: str) -> str:
    return str(ServiceKind(kind).label)
