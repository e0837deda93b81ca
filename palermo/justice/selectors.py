"""Reads of the justice area. `current_risk_assessment` is the one other areas use (a return's risk check):
it reads only the overall level and dates (T1) and is no page's read."""

from __future__ import annotations

from palermo.cases.models import Case
from palermo.justice.models import RiskAssessment
from palermo.justice.services.common import today


def current_risk_assessment(case: Case) -> RiskAssessment | None:
    """The latest completed assessment of the case whose review date has not passed; None when there is none
    or when the latest is overdue for review (an overdue assessment no longer says what the risk is)."""
    latest = (
        RiskAssessment.objects.filter(case=case, completed_on__isnull=False)
        .order_by("-completed_on", "-id")
        .first()
    )
    if latest is None or latest.review_on is None or latest.review_on < today():
        return None
    return latest
