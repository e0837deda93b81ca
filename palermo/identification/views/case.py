"""A case's identification page: where identification stands (T1), with links to its screenings, legal
elements and decisions as the acting membership may see them."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from palermo.access.declare import allow
from palermo.access.policy import can_read
from palermo.access.tiers import Tier
from palermo.accounts.active import acting
from palermo.accounts.models import Membership
from palermo.cases.child import case_is_child
from palermo.cases.models import Case
from palermo.identification.roles import ASSESSMENT_READERS, DECISION_READERS, SCREENING_READERS
from palermo.identification.selectors import (
    decision_case,
    decisions_of,
    pending_decisions,
    standing_decisions,
)


def overview_context(membership: Membership, case: Case) -> dict[str, Any]:
    narrative = can_read(membership, case, Tier.NARRATIVE)
    decisions = list(decisions_of(case))
    return {
        "case": case,
        "child": case_is_child(case),
        "standing": sorted(standing_decisions(decisions).values(), key=lambda d: d.kind != "presumed"),
        "pending": pending_decisions(case, decisions),
        "shows_screenings": narrative and membership.role in SCREENING_READERS,
        "shows_legal": narrative and membership.role in ASSESSMENT_READERS,
    }


@allow(*DECISION_READERS)
@never_cache
def case_overview(request: HttpRequest, reference: str) -> HttpResponse:
    _, membership = acting(request)
    case = decision_case(membership, reference)
    return render(request, "identification/case.html", overview_context(membership, case))
