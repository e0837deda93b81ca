"""Reads of the children area. Callers fetch the case through `palermo.access.selectors.case_for` first; these
functions then read that case's child records, with the related rows each screen needs in the same queries."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Exists, QuerySet, Subquery
from django.db.models.functions import Coalesce

from palermo.access.tiered import Tiered, redact_all
from palermo.accounts.models import Membership
from palermo.cases.child import case_is_child
from palermo.cases.facts import has_none, is_preloaded, preloaded
from palermo.cases.models import Case, Consent, ConsentGiver, TemporaryRepresentative
from palermo.children.models import (
    BestInterestKind,
    BestInterestProcedure,
    CareArrangement,
    CareReview,
    DurableSolution,
    FamilyAssessment,
    FamilyContact,
    FollowUpContact,
    GuardianNotice,
    Guardianship,
    LegalStatusDecision,
    TracingRequest,
)
from palermo.core.prefetching import with_their


def active_guardianship(case: Case) -> Guardianship | None:
    return (
        Guardianship.objects.filter(case=case, ended_at__isnull=True)
        .select_related("guardian", "agency")
        .first()
    )


def acting_representatives(case: Case) -> QuerySet[TemporaryRepresentative]:
    """The temporary representative acting for the child now (at most one row)."""
    return TemporaryRepresentative.objects.filter(case=case, ended_at__isnull=True)


def temporary_representative(case: Case) -> TemporaryRepresentative | None:
    """Who acts for the child until a guardian is appointed (None: no one yet)."""
    if has_none(case, TemporaryRepresentative):
        return None
    return acting_representatives(case).first()


def guardianships(case: Case) -> QuerySet[Guardianship]:
    return Guardianship.objects.filter(case=case).select_related("guardian", "agency")


def has_best_interest_determination(case: Case) -> bool:
    return BestInterestProcedure.objects.filter(case=case, kind=BestInterestKind.DETERMINATION).exists()


def best_interest_procedures(case: Case) -> QuerySet[BestInterestProcedure]:
    return (
        BestInterestProcedure.objects.filter(case=case)
        .select_related("agency")
        .prefetch_related("roles", "participant_agencies")
    )


def tracing_requests(case: Case) -> QuerySet[TracingRequest]:
    return TracingRequest.objects.filter(case=case).select_related("tracing_agency", "agency")


def family_contacts(case: Case) -> QuerySet[FamilyContact]:
    return FamilyContact.objects.filter(case=case).select_related("agency")


def family_assessments(case: Case) -> QuerySet[FamilyAssessment]:
    return FamilyAssessment.objects.filter(case=case).select_related("agency")


def care_arrangements(case: Case) -> QuerySet[CareArrangement]:
    arrangements = CareArrangement.objects.filter(case=case).select_related("provider", "agency")
    return with_their(arrangements, "reviews", CareReview, "-reviewed_on", "-id")


def current_care(case: Case) -> CareArrangement | None:
    return CareArrangement.objects.filter(case=case, ended_on__isnull=True).first()


def legal_status_decisions(case: Case) -> QuerySet[LegalStatusDecision]:
    return LegalStatusDecision.objects.filter(case=case).select_related("agency")


def durable_solutions(case: Case) -> QuerySet[DurableSolution]:
    solutions = DurableSolution.objects.filter(case=case).select_related("agency")
    return with_their(solutions, "followups", FollowUpContact, "due_on", "id")


def guardian_consents(case: Case) -> QuerySet[Consent]:
    """Consents given on the child's behalf (recorded through the case's consent section, not duplicated)."""
    return Consent.objects.filter(
        case=case, given_by__in=[ConsentGiver.GUARDIAN, ConsentGiver.TEMPORARY]
    ).select_related("recipient_agency")


def all_guardian_notices(case: Case) -> QuerySet[GuardianNotice]:
    return GuardianNotice.objects.filter(case=case)


NOTICES_SHOWN = 10


def guardian_notices(case: Case, limit: int = NOTICES_SHOWN) -> list[GuardianNotice]:
    """The latest decisions the guardian was told of (labels only, case metadata)."""
    return list(all_guardian_notices(case)[:limit])


# The kinds of record the case page's children section lists, each with the selector that reads them.
SECTION_RECORDS: dict[str, Callable[[Case], QuerySet[Any]]] = {
    "guardianships": guardianships,
    "representatives": acting_representatives,
    "notices": all_guardian_notices,
    "best_interest": best_interest_procedures,
    "tracing": tracing_requests,
    "contacts": family_contacts,
    "family_assessments": family_assessments,
    "care": care_arrangements,
    "status_decisions": legal_status_decisions,
    "solutions": durable_solutions,
}


# The model each kind of SECTION_RECORDS reads (to skip a kind the case has none of, building no read).
SECTION_MODELS: dict[str, type[Any]] = {
    "guardianships": Guardianship,
    "representatives": TemporaryRepresentative,
    "notices": GuardianNotice,
    "best_interest": BestInterestProcedure,
    "tracing": TracingRequest,
    "contacts": FamilyContact,
    "family_assessments": FamilyAssessment,
    "care": CareArrangement,
    "status_decisions": LegalStatusDecision,
    "solutions": DurableSolution,
}


@dataclass(frozen=True)
class OnFile:
    """What a child's case holds: the kinds of record (of SECTION_RECORDS) it has at least one of, and how
    many consents were given on the child's behalf. Case metadata (T1): whether, and how many, never what."""

    kinds: frozenset[str]
    guardian_consents: int


def page_reads(case: Case, tiers: frozenset[int]) -> dict[str, QuerySet[Any]]:
    """The children section's reads, for the case page's one statement (palermo.cases.facts): each kind of
    SECTION_RECORDS the case has (the latest notices only), and the consents given on the child's behalf."""
    if not case_is_child(case):
        return {}
    reads: dict[str, QuerySet[Any]] = {}
    for kind, read in SECTION_RECORDS.items():
        if not has_none(case, SECTION_MODELS[kind]):
            reads[f"children.{kind}"] = read(case)[:NOTICES_SHOWN] if kind == "notices" else read(case)
    if not has_none(case, Consent):
        reads["children.guardian_consents"] = (
            guardian_consents(case).select_related(None).order_by().only("pk")
        )
    return reads


def section_records(case: Case, kind: str) -> list[Any]:
    """The records of one kind of SECTION_RECORDS the section lists (the latest notices only)."""
    if kind == "notices":
        return list(preloaded(case, "children.notices", lambda: all_guardian_notices(case)[:NOTICES_SHOWN]))
    return list(preloaded(case, f"children.{kind}", lambda: SECTION_RECORDS[kind](case)))


def on_file(case: Case) -> OnFile:
    """One query for what would otherwise take one a kind: the section then reads only the kinds the case
    has, and shows the consents' number without reading them. Each kind is asked through the selector that
    reads it (EXISTS of the same query), so the two cannot disagree. The query runs against the case's row
    by its key, reading none of its columns."""
    if has_none(case, Consent) and all(has_none(case, model) for model in SECTION_MODELS.values()):
        return OnFile(kinds=frozenset(), guardian_consents=0)  # the page knows already: nothing on file
    if is_preloaded(case):
        # The page read every kind with its other reads: what is on file is what it found.
        kinds = frozenset(
            kind
            for kind in SECTION_RECORDS
            if not has_none(case, SECTION_MODELS[kind]) and section_records(case, kind)
        )
        consents = preloaded(case, "children.guardian_consents", lambda: Consent.objects.none())
        return OnFile(kinds=kinds, guardian_consents=len(consents))
    consents = guardian_consents(case).order_by().values("case").annotate(number=Count("pk")).values("number")
    exists = [Exists(read(case)) for read in SECTION_RECORDS.values()]
    number, *present = (
        Case.objects.filter(pk=case.pk).values_list(Coalesce(Subquery(consents), 0), *exists).get()
    )
    held = frozenset(kind for kind, found in zip(SECTION_RECORDS, present, strict=True) if found)
    return OnFile(kinds=held, guardian_consents=number)


def records_shown(
    case: Case, membership: Membership, tiers: frozenset[int], records: list[Any]
) -> list[Tiered[Any]]:
    """A child's case's records of one kind as the reader may see them (fields above its tiers hidden,
    never decrypted); showing them above T1 is recorded once per request, at the highest tier shown."""
    return redact_all(records, tiers=tiers, membership=membership, case=case, action="children.read")
