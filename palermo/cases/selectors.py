"""Every read of the case record, through the access policy. Views and API views read only through here.

Forbidden and missing look the same: a record outside what the acting membership may see raises Http404.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction
from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404

from palermo.access.models import CaseTeamMember
from palermo.access.policy import ANNOTATED_TEAM, tiers_allowed
from palermo.access.selectors import cases_visible_to
from palermo.accounts.models import Membership, User
from palermo.audit.services import audit_record
from palermo.cases.models import Case, CaseDocument, CaseEvent, CaseExploitation, CaseNote, Person

# ---------------------------------------------------------------------------------------------------------
# Cases, their lists and search (T1 metadata)
# ---------------------------------------------------------------------------------------------------------

CASE_TIERS = (1, 2, 3, 4)


def readable_tiers(membership: Membership, case: Case) -> frozenset[int]:
    """The tiers of case data (T1-T4) this membership may read on this case; empty when none."""
    return frozenset(int(tier) for tier in tiers_allowed(membership, case) if int(tier) in CASE_TIERS)


def case_list_queryset(cases: QuerySet[Case]) -> QuerySet[Case]:
    """What a list row shows, joined or prefetched once per page whatever the page size."""
    return cases.select_related("lead_agency").prefetch_related(
        Prefetch("exploitation_forms", queryset=CaseExploitation.objects.order_by("form"))
    )


def my_cases(membership: Membership) -> QuerySet[Case]:
    """Cases this user, or their agency, works on: on the case team (the policy's own team fact, annotated by
    `cases_visible_to`), or led by their agency."""
    on_team = Q(**{ANNOTATED_TEAM: True})
    mine = cases_visible_to(membership).filter(on_team | Q(lead_agency_id=membership.agency_id))
    return case_list_queryset(mine).order_by("-opened_at", "-pk")


def case_team(case: Case) -> QuerySet[CaseTeamMember]:
    """The case's active team: agencies as a whole, and named people acting for an agency."""
    return (
        CaseTeamMember.objects.filter(case=case, removed_at__isnull=True)
        .select_related("agency", "user")
        .order_by("agency__name", "user__username", "pk")
    )


def cases_matching_person(*, name: str, birth_date: str | None = None) -> QuerySet[Case]:
    """Cases with a person whose name (and birth date, when given) match exactly through blind indexes."""
    persons = Person.objects.matching_name(name)
    if birth_date:
        persons = persons.matching_birth_date(birth_date)
    return Case.objects.filter(pk__in=persons.values("case_id"))


def audit_name_search(*, actor: User, membership: Membership, references: Iterable[str]) -> None:
    """A search by name tells the searcher that a person is on these cases: a T2 read, recorded with the
    references found (never the name searched for)."""
    found = ",".join(references)
    with transaction.atomic():
        audit_record(
            actor=actor,
            membership=membership,
            action="case.search_name",
            tier=2,
            object_type="case",
            reason=f"found: {found or 'none'}",
        )


# ---------------------------------------------------------------------------------------------------------
# Timeline
# ---------------------------------------------------------------------------------------------------------


def case_timeline(case: Case, tiers: Iterable[int]) -> QuerySet[CaseEvent]:
    """Every event of the case in time order, without those above the viewer's tiers (omitted, not masked)."""
    return (
        CaseEvent.objects.filter(case=case, tier__in=sorted(set(tiers)))
        .select_related("actor", "agency")
        .order_by("occurred_at", "pk")
    )


# ---------------------------------------------------------------------------------------------------------
# Notes and documents
# ---------------------------------------------------------------------------------------------------------


def case_notes(case: Case, tiers: Iterable[int]) -> QuerySet[CaseNote]:
    """The case's notes at the viewer's tiers, newest first."""
    return (
        CaseNote.objects.filter(case=case, tier__in=sorted(set(tiers)))
        .select_related("author", "agency")
        .order_by("-created_at", "-pk")
    )


def case_note_for(membership: Membership, case: Case, note_id: int) -> CaseNote:
    note = case_notes(case, readable_tiers(membership, case)).filter(pk=note_id).first()
    if note is None:
        raise Http404
    note.case = case  # already read through the policy; spares a query
    return note


def audit_note_read(*, actor: User, membership: Membership, case: Case, notes: Iterable[CaseNote]) -> None:
    """Reading notes above T1 is recorded once per page, at the highest tier shown."""
    shown = [note for note in notes if note.tier >= 2]
    if not shown:
        return
    with transaction.atomic():
        audit_record(
            actor=actor,
            membership=membership,
            action="note.read",
            tier=max(note.tier for note in shown),
            case=case,
            object_type="case_note",
            reason="notes: " + ",".join(str(note.pk) for note in shown),
        )


def case_documents(case: Case, tiers: Iterable[int]) -> QuerySet[CaseDocument]:
    """The case's documents at the viewer's tiers, newest first (metadata only; content is downloaded)."""
    return (
        CaseDocument.objects.filter(case=case, tier__in=sorted(set(tiers)))
        .select_related("uploaded_by", "agency")
        .order_by("-created_at", "-pk")
    )


def case_document_for(membership: Membership, case: Case, document_id: int) -> CaseDocument:
    document = case_documents(case, readable_tiers(membership, case)).filter(pk=document_id).first()
    if document is None:
        raise Http404
    document.case = case
    return document


def audit_document_list(
    *, actor: User, membership: Membership, case: Case, documents: Iterable[CaseDocument]
) -> None:
    """Document file names are T2: listing them to a T2 reader is recorded once per page."""
    shown = list(documents)
    if not shown:
        return
    with transaction.atomic():
        audit_record(
            actor=actor,
            membership=membership,
            action="document.list",
            tier=2,
            case=case,
            object_type="case_document",
            reason="documents: " + ",".join(str(document.pk) for document in shown),
        )
