"""Deadlines for the deadline-clock tests: test kinds, cases set up directly, deadlines through the service.

The case itself is the deadline's source (a deadline is identified by source and kind), so each deadline on
one case has its own kind. Dates are placed by calendar day relative to a `Day`, at noon, so a test never
depends on the hour it runs.
"""

from __future__ import annotations

import datetime

from palermo.accounts.models import Agency, User
from palermo.cases.models import Case
from palermo.cases.reference import ClosureReason
from palermo.cases.services.lifecycle import case_transition
from palermo.deadlines.kinds import register_kind
from palermo.deadlines.models import Deadline
from palermo.deadlines.selectors import Day
from palermo.deadlines.services import set_deadline

DECIDE = "tests.decide"
REVIEW = "tests.review"
register_kind(DECIDE, "Decide on the test matter", url_name="cases:timeline")
register_kind(REVIEW, "Review the test plan")


def noon(day: Day, offset_days: int) -> datetime.datetime:
    """Noon, `offset_days` from the day (negative: in the past)."""
    return day.start + datetime.timedelta(days=offset_days, hours=12)


def due(
    case: Case,
    day: Day,
    offset_days: int,
    *,
    kind: str = DECIDE,
    agency: Agency | None = None,
    user: User | None = None,
) -> Deadline:
    return set_deadline(
        case=case, kind=kind, due_at=noon(day, offset_days), source=case, agency=agency, user=user
    )


def close_case(manager: User, case: Case) -> Case:
    """Close the case as a case manager of its lead agency does, through the lifecycle."""
    case.refresh_from_db()
    return case_transition(
        actor=manager,
        membership=manager.membership,  # type: ignore[attr-defined]
        case=case,
        name="close",
        expected_version=case.version,
        reason="Assistance completed.",
        closure_reason=ClosureReason.ASSISTANCE_COMPLETED,
    )


def reopen_case(manager: User, case: Case) -> Case:
    case.refresh_from_db()
    return case_transition(
        actor=manager,
        membership=manager.membership,  # type: ignore[attr-defined]
        case=case,
        name="reopen",
        expected_version=case.version,
        reason="The person asked for help again.",
    )
