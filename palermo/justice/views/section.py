"""The justice section of the case page: T1 facts of the parts the viewer's duty opens, and the way to the
area's page; nothing at all for a role whose duty opens none (a residence decider)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from palermo.access.tiers import Tier
from palermo.accounts.active import acting
from palermo.cases.models import Case
from palermo.justice.selectors import brief_of, parts_readable


def section_context(request: HttpRequest, case: Case, tiers: frozenset[int]) -> dict[str, Any]:
    _user, membership = acting(request)
    parts = parts_readable(membership, case)
    if Tier.METADATA not in tiers or not parts:
        return {"justice_hidden": True}
    return {"justice_parts": {part.value for part in parts}, "justice_brief": brief_of(case, parts)}
