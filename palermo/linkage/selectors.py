"""Reads of the review queue (docs/decisions/0042): candidate pairs and merges on cases the reader may see,
and both persons of a pair side by side at the tiers the reader may read on each case (redacted by the tier
mechanism; the read recorded by the kernel, once per request)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, TypeVar

from django.db.models import QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from palermo.access.policy import tiers_allowed
from palermo.access.selectors import cases_visible_to
from palermo.accounts.models import Membership
from palermo.cases.models import Case
from palermo.cases.selectors import person_shown
from palermo.linkage.models import Candidate, CandidateStatus, LinkageRun, PersonMerge
from palermo.linkage.services.duplicates import REVIEWERS

Paired = TypeVar("Paired", Candidate, PersonMerge)


def _reviewer(membership: Membership) -> None:
    if membership.role not in REVIEWERS:
        raise Http404


def _both_visible(membership: Membership, model: type[Paired], one: str, other: str) -> QuerySet[Paired]:
    """The rows of `model` (a pair of persons, `one` and `other`) whose two cases the reviewer may see, with
    both cases read along."""
    _reviewer(membership)
    visible = cases_visible_to(membership).values("pk")
    on_cases = {f"{one}__case__in": visible, f"{other}__case__in": visible}
    return model.objects.filter(**on_cases).select_related(f"{one}__case", f"{other}__case")


def _candidates(membership: Membership) -> QuerySet[Candidate]:
    return _both_visible(membership, Candidate, "left", "right")


def _merges(membership: Membership) -> QuerySet[PersonMerge]:
    return _both_visible(membership, PersonMerge, "kept", "merged")


def review_queue(membership: Membership) -> QuerySet[Candidate]:
    """Pending pairs whose two cases the reader may see, most likely first."""
    return _candidates(membership).filter(status=CandidateStatus.PENDING).order_by("-probability", "pk")


def merges_listed(membership: Membership) -> QuerySet[PersonMerge]:
    return _merges(membership).filter(undone_at__isnull=True).order_by("-merged_at", "-pk")


def candidate_for(membership: Membership, candidate_id: int) -> Candidate:
    """One pair whose two cases the reader may see (any status); 404 otherwise."""
    return get_object_or_404(_candidates(membership), pk=candidate_id)


def merge_for(membership: Membership, merge_id: int) -> PersonMerge:
    return get_object_or_404(_merges(membership), pk=merge_id)


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
