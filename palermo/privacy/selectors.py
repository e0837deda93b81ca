"""Which cases a data protection officer answers for: a national DPO (rapporteur's office, operator) every
case; an agency's DPO the cases their agency leads or is on the team of. Anyone else: none (404).

And what the officer's overview lists of them: the cases the retention run is to anonymise soon, the legal
holds in force, and the latest runs (counts for the whole installation)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Q, QuerySet

from palermo.access.models import CaseTeamMember
from palermo.accounts.models import Membership
from palermo.accounts.roles import Role
from palermo.audit.selectors import is_national_dpo
from palermo.cases.models import Case
from palermo.privacy.models import LegalHold, RetentionRun
from palermo.privacy.periods import CLOSED_STATES, closed_early_enough, retention_ends


def dpo_cases(membership: Membership | None) -> QuerySet[Case]:
    if membership is None or membership.role != Role.DATA_PROTECTION_OFFICER:
        return Case.objects.none()
    if is_national_dpo(membership):
        return Case.objects.all()
    on_team = CaseTeamMember.objects.filter(agency_id=membership.agency_id).values("case_id")
    return Case.objects.filter(Q(lead_agency_id=membership.agency_id) | Q(pk__in=on_team))


def holds_of(case: Case) -> QuerySet[LegalHold]:
    return LegalHold.objects.filter(case=case).select_related("placed_by", "lifted_by")


# How far ahead the data protection officer sees the cases the retention run is to anonymise: time to learn of
# proceedings or a complaint that needs the data kept, and to place a hold.
SOON_DAYS = 90


@dataclass(frozen=True)
class DueForAnonymisation:
    """A closed case whose retention period ends soon (or ended: a case under a legal hold is kept)."""

    case: Case
    ends_on: datetime.date
    held: bool
    overdue: bool  # ended and not held: the next run anonymises it


def due_for_anonymisation(
    membership: Membership | None, today: datetime.date, within: int = SOON_DAYS
) -> list[DueForAnonymisation]:
    """The closed cases this officer answers for whose retention period ends within `within` days of `today`,
    or ended and are kept under a legal hold; soonest first. One query: the cases closed long enough ago to
    be near (`closed_early_enough`), each then checked on its own period's end."""
    horizon = today + datetime.timedelta(days=within)
    standing = LegalHold.objects.filter(case=OuterRef("pk"), lifted_at__isnull=True)
    candidates = (
        dpo_cases(membership)
        .filter(
            status__in=CLOSED_STATES, closed_at__lte=closed_early_enough(horizon), anonymisation__isnull=True
        )
        .annotate(held=Exists(standing))
        .only("pk", "reference", "status", "closed_at")
    )
    due = []
    for case in candidates:
        ends_on = retention_ends(case)
        if ends_on is not None and ends_on <= horizon:
            held: bool = case.held  # type: ignore[attr-defined]
            due.append(DueForAnonymisation(case, ends_on, held, overdue=not held and ends_on <= today))
    return sorted(due, key=lambda row: (row.ends_on, row.case.reference))


def standing_holds(membership: Membership | None) -> QuerySet[LegalHold]:
    """The legal holds in force on the cases this officer answers for, the latest first."""
    return (
        LegalHold.objects.filter(lifted_at__isnull=True, case__in=dpo_cases(membership))
        .select_related("case", "placed_by")
        .order_by("-placed_at", "-pk")
    )


def latest_runs(count: int = 7) -> list[RetentionRun]:
    """The retention runs that ran, the latest first: counts only, for the whole installation."""
    return list(RetentionRun.objects.exclude(report={}).order_by("-day")[:count])


def anonymised_count(membership: Membership | None) -> int:
    return dpo_cases(membership).filter(anonymisation__isnull=False).count()
