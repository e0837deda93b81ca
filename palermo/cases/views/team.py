"""The case team on the case page: the agencies and named people working on the case, and the way to the
team page (palermo.access) where those who manage the team add and remove entries."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from palermo.access import policy
from palermo.access.selectors import case_team_entries
from palermo.access.tiered import Tiered
from palermo.accounts.active import acting
from palermo.cases.facts import preloaded
from palermo.cases.models import Case


def section_context(request: HttpRequest, case: Case, tiers: frozenset[int]) -> dict[str, Any]:
    _, membership = acting(request)
    return {
        # Tiered: an entry naming a safe house's provider or a health service reads at T3 or T4.
        "team": [
            Tiered(entry, tiers) for entry in preloaded(case, "cases.team", lambda: case_team_entries(case))
        ],
        "team_may_manage": policy.can_manage_team(membership, case),
    }
