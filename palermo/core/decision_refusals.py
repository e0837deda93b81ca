"""A decision on a case refused before it is saved, as both doors show the refusal: a guard holding it back
(`code="blocked"`, the guard's reason) or a child's case lacking the child's views (one message per field).
The rules themselves are palermo.core.decisions; this is only how an area's service says no."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError

from palermo.core.decisions import (
    ChildViewsMissing,
    DecisionBlocked,
    DecisionSubject,
    check_decision_allowed,
    require_child_views,
)


def refuse_if_blocked(case: Any, subject: DecisionSubject) -> None:
    """Other areas' guards on a decision about `subject`: the first reason given refuses it."""
    try:
        check_decision_allowed(case, subject)
    except DecisionBlocked as blocked:
        raise ValidationError(str(blocked), code="blocked") from None


def refuse_without_child_views(is_child: bool, values: dict[str, Any]) -> None:
    """On a child's case, the child's views or why the child was not heard (and the age when heard)."""
    try:
        require_child_views(is_child, values)
    except ChildViewsMissing as missing:
        raise ValidationError(missing.problems) from None  # type: ignore[arg-type]
