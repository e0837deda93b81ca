"""A case's identification page: links to its screenings, legal elements, age and decisions, as the acting
membership may see them. The page itself reads only case metadata (T1)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from palermo.access.declare import allow
from palermo.access.policy import can_read
from palermo.access.selectors import case_for
from palermo.access.tiers import Tier
from palermo.accounts.models import Membership
from palermo.cases.models import Case
from palermo.identification.roles import DECISION_READERS, SCREENING_READERS
from palermo.identification.views.common import acting


def overview_context(membership: Membership, case: Case) -> dict[str, Any]:
    narrative = can_read(membership, case, Tier.NARRATIVE)
    return {
        "case": case,
        "shows_screenings": narrative and membership.role in SCREENING_READERS,
    }


@allow(*DECISION_READERS)
@never_cache
def case_overview(request: HttpRequest, reference: str) -> HttpResponse:
    _, membership = acting(request)
    case = case_for(membership, reference, Tier.METADATA)
    return render(request, "identification/case.html", overview_context(membership, case))
