"""Reads of the review queue (docs/decisions/0042): candidate pairs and merges on cases the reader may see,
and both persons of a pair side by side at the tiers the reader may read on each case (redacted by the tier
mechanism; the read recorded by the kernel, once per request)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.http import Http404

from palermo.access.policy import tiers_allowed
from palermo.access.selectors import cases_visible_to
from palermo.accounts.models import Membership
from palermo.cases.models import Case
from palermo.cases.selectors import person_shown
from palermo.linkage.models import Candidate, CandidateStatus, LinkageRun, PersonMerge
from palermo.linkage.services.duplicates import REVIEWERS


def _reviewer(membership: Membership) -> None:
    if membership.role not in REVIEWERS:
        raise Http404


def review_queue(membership: Membership) -> QuerySet[Candidate]:
    """Pending pairs whose two cases the reader may see, most likely first."""
    _reviewer(membership)
    visible = cases_visible_to(membership).values("pk")
    return (
        Candidate.objects.filter(
            status=CandidateStatus.PENDING, left__case__in=visible, right__case__in=visible
        )
        .select_related("left__case", "right__case")
        .order_by("-probability", "pk")
    )


def merges_listed(membership: Membership) -> QuerySet[PersonMerge]:
    _reviewer(membership)
    visible = cases_visible_to(membership).values("pk")
    return (
        PersonMerge.objects.filter(undone_at__isnull=True, kept__case__in=visible, merged__case__in=visible)
        .select_related("kept__case", "merged__case")
        .order_by("-merged_at", "-pk")
    )


def candidate_for(membership: Membership, candidate_id: int) -> Candidate:
    """One pair whose two cases the reader may see (any status); 404 otherwise."""
    _reviewer(membership)
    visible = cases_visible_to(membership).values("pk")
    found = (
        Candidate.objects.filter(pk=candidate_id, left__case__in=visible, right__case__in=visible)
        .select_related("left__case", "right__case")
        .first()
    )
    if found is None:
        raise Http404
    return found


def merge_for(membership: Membership, merge_id: int) -> PersonMerge:
    visible = cases_visible_to(membership).values("pk")
    _reviewer(membership)
    found = (
        PersonMerge.objects.filter(pk=merge_id, kept__case__in=visible, merged__case__in=visible)
        .select_related("kept__case", "merged__case")
        .first()
    )
    if found is None:
        raise Http404
    return found


@dataclass(frozen=True)
class Side:
    case: Case
    tiers: frozenset[int]
    person: Any  # Tiered[Person]


def candidate_sides(membership: Membership, candidate: Candidate) -> tuple[Side, Side]:
    """Both persons, each at the tiers the reader may read on its own case."""
    sides = []
    for person in (candidate.left, candidate.right):
        case = person.case
        tiers = frozenset(int(tier) for tier in tiers_allowed(membership, case))
        sides.append(Side(case, tiers, person_shown(case, membership, tiers, person.pk)))
    return sides[0], sides[1]


def latest_run() -> LinkageRun | None:
    return LinkageRun.objects.order_by("-created_at", "-pk").first()
