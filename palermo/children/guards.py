"""The best-interest guard: decisions about a child's legal status, care, return or resettlement wait for a
best-interest determination (brief §4; position paper, "Acting in the best interest of child victims")."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext

from palermo.cases.child import case_is_child
from palermo.children.selectors import has_best_interest_determination
from palermo.core.decisions import DecisionSubject

GUARDED = frozenset(
    {DecisionSubject.LEGAL_STATUS, DecisionSubject.CARE, DecisionSubject.RETURN, DecisionSubject.RESETTLEMENT}
)


def best_interest_guard(case: Any, subject: DecisionSubject) -> str | None:
    """The reason to wait, or None. No personal data in the message: it may reach an API client or a log."""
    if subject not in GUARDED:
        return None
    if not case_is_child(case) or has_best_interest_determination(case):
        return None
    return gettext(
        "This is a child's case: record a best-interest determination before deciding on the child's legal "
        "status, care, return or resettlement."
    )
