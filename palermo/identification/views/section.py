"""The identification section of the case page: where identification stands, with links to its pages.

Shown to the roles that read identification decisions. Decisions, their due dates, requested reviews, the
age assessment and whether legal elements were recorded are case metadata (T1); the screening's advice and
the content of the legal elements are T4, shown only to T4 readers who may read screenings or assessments,
and that read is recorded.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from palermo.access.tiers import Tier
from palermo.accounts.active import acting
from palermo.accounts.models import Membership, User
from palermo.cases.child import case_is_child, child_rules_apply
from palermo.cases.facts import has_none, share
from palermo.cases.models import Case
from palermo.identification.age import latest_age_assessment
from palermo.identification.models import LegalElements, Screening, ScreeningStatus
from palermo.identification.roles import ASSESSMENT_READERS, DECISION_READERS, SCREENING_READERS
from palermo.identification.selectors import (
    DECISIONS_READ,
    decisions_of,
    legal_elements_of,
    narrative_shown,
    pending_decisions,
    review_requests_of,
    standing_decisions,
)


def _latest_screening(case: Case) -> Screening | None:
    if has_none(case, Screening):
        return None
    return (
        Screening.objects.filter(case=case, status=ScreeningStatus.COMPLETE)
        .select_related("instrument")
        .order_by("-completed_at", "-id")
        .first()
    )


def _legal_summary(elements: LegalElements | None, *, child: bool) -> dict[str, bool] | None:
    """Which elements are recorded (T4: what they are says much about the person's situation)."""
    if elements is None:
        return None
    return {
        "act": bool(elements.acts),
        "means": bool(elements.means),
        "purpose": bool(elements.purposes),
        "complete": bool(elements.acts) and bool(elements.purposes) and (child or bool(elements.means)),
    }


def _narrative(
    user: User, membership: Membership, case: Case, tiers: frozenset[int], *, child: bool
) -> dict[str, Any]:
    """The T4 part, for T4 readers among those who read screenings or assessments; the read is audited.
    Whether legal elements are recorded at all is T1, and comes from the same read when the T4 part has it."""
    shows_screening = Tier.NARRATIVE in tiers and membership.role in SCREENING_READERS
    shows_legal = Tier.NARRATIVE in tiers and membership.role in ASSESSMENT_READERS
    recorded = legal_elements_of(case) if shows_legal else None
    context: dict[str, Any] = {
        "ident_shows_screening": shows_screening,
        "ident_shows_legal": shows_legal,
        "ident_legal_recorded": recorded is not None
        if shows_legal
        else not has_none(case, LegalElements) and LegalElements.objects.filter(case=case).exists(),
    }
    if not (shows_screening or shows_legal):
        return context
    screening = _latest_screening(case) if shows_screening else None
    elements = _legal_summary(recorded, child=child) if shows_legal else None
    screening, elements = narrative_shown(case, membership, screening=screening, legal=elements)
    context.update({"ident_screening": screening, "ident_legal": elements})
    return context


def section_context(request: HttpRequest, case: Case, tiers: frozenset[int]) -> dict[str, Any]:
    user, membership = acting(request)
    if membership.role not in DECISION_READERS:
        return {"ident_visible": False}
    decisions = share(case, DECISIONS_READ, list(decisions_of(case)))
    age = latest_age_assessment(case)
    child = case_is_child(case)
    return {
        "ident_visible": True,
        "ident_standing": sorted(standing_decisions(decisions).values(), key=lambda d: d.kind != "presumed"),
        "ident_pending": pending_decisions(case, decisions),
        "ident_reviews": list(review_requests_of(case, open_only=True)),
        "ident_age": age,
        "ident_child": child,
        **_narrative(user, membership, case, tiers, child=child_rules_apply(case)),
    }
