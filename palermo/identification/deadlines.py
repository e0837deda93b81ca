"""Decision deadlines from the active rulebook: the presumed victim decision counted from the referral (the
case's opening), the identified victim decision from the presumed victim decision, and a reconsideration or
appeal from the request for it; and those deadlines as rows of palermo.deadlines.

Rulebook keys: decisions.presumed_victim_days, decisions.presumed_victim_day_kind,
decisions.identified_victim_days, decisions.identified_victim_day_kind, decisions.review_days,
decisions.review_day_kind ("calendar" or "working": Monday to Friday in the deployment's time zone, less the
rulebook's public holidays, [calendar]). The arithmetic is in palermo.core.periods.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import models

from palermo.accounts.models import Agency
from palermo.cases.models import Case
from palermo.cases.services.intake import identification_agencies
from palermo.core.periods import deadline_at
from palermo.core.rulebooks import DayKind, Decisions, rulebook
from palermo.deadlines.models import Deadline as DeadlineRow
from palermo.deadlines.services import cancel_deadlines, complete_deadlines, set_deadline, source_key
from palermo.identification.models import (
    DecisionKind,
    DecisionOutcome,
    DecisionProcedure,
    IdentificationDecision,
    ReviewRequest,
)

# Each decision's time limit in the rulebook's [decisions]: (days, how they count).
LIMITS: dict[str, Callable[[Decisions], tuple[int, DayKind]]] = {
    "presumed": lambda rules: (rules.presumed_victim_days, rules.presumed_victim_day_kind),
    "identified": lambda rules: (rules.identified_victim_days, rules.identified_victim_day_kind),
    "review": lambda rules: (rules.review_days, rules.review_day_kind),
}


def add_days(start: datetime.datetime, days: int, kind: DayKind | str) -> datetime.datetime:
    """`days` calendar or working days after `start`, at the same local time of day; working days skip
    weekends and the active rulebook's public holidays."""
    return deadline_at(start, days, kind, rulebook().calendar.holidays)


# A deadline's parts, and the fields of a decision or a request for review that keep them.
KEPT_AS = {
    "due_at": "due_at",
    "days": "deadline_days",
    "day_kind": "deadline_day_kind",
    "rulebook": "rulebook",
}


@dataclass(frozen=True)
class Deadline:
    due_at: datetime.datetime
    days: int
    day_kind: str
    rulebook: str

    def stored(self) -> dict[str, Any]:
        """The deadline as a decision or a request for review keeps it, by its fields' names."""
        return {field: getattr(self, part) for part, field in KEPT_AS.items()}

    @classmethod
    def kept_by(cls, record: Any) -> Deadline:
        """The deadline a decision or a request for review keeps (`stored`)."""
        return cls(**{part: getattr(record, field) for part, field in KEPT_AS.items()})


def decision_deadline(kind: str, *, start: datetime.datetime) -> Deadline:
    days, day_kind = LIMITS[kind](rulebook().decisions)
    return Deadline(add_days(start, days, day_kind), days, str(day_kind), settings.PALERMO_RULEBOOK)


# --- deadline rows ----------------------------------------------------------------------------------------
# Rows of palermo.deadlines, so the "due and overdue" screen, the case search and the daily reminder see the
# decision deadlines. Both first decisions hang on the case (no decision exists yet to hang them on); a
# review's hangs on its request. Each is done when its decision is taken. Each is the responsibility of the
# agency that takes it, so the daily reminder reaches its identification authority (the kinds name it as their
# deciders) rather than the referring agency: the presumed victim decision, the authority on the case's team;
# the identified victim decision, the agency that took the positive presumed one; a review, the agency whose
# decision is reviewed.

PRESUMED_KIND = "identification.presumed_victim_decision"
IDENTIFIED_KIND = "identification.identified_victim_decision"
REVIEW_KIND = "identification.review_decision"
_DECISION_FIELDS = ("id", "kind", "procedure", "outcome", "decided_at", "due_at", "agency_id")


def first_decider(case: Case) -> int:
    """The agency that takes the case's first decision: of the agencies on its team as a whole, one with an
    identification authority among its members (the referral's recipient; another than the lead where both
    are); with none, the lead agency."""
    authorities = identification_agencies().filter(
        case_team_entries__case=case,
        case_team_entries__user__isnull=True,
        case_team_entries__removed_at__isnull=True,
    )
    found = authorities.order_by("case_team_entries__pk").values_list("pk", flat=True)
    return next((pk for pk in found if pk != case.lead_agency_id), case.lead_agency_id)


def _settle(
    case: Case,
    kind: str,
    source: models.Model,
    *,
    due_at: datetime.datetime,
    done_at: datetime.datetime | None,
    agency_id: int,
) -> None:
    """Write the row only when it is missing or differs, so an open deadline keeps its reminder state."""
    source_type, source_id = source_key(source)
    row = DeadlineRow.objects.filter(source_type=source_type, source_id=source_id, kind=kind).first()
    if (
        row is not None
        and row.due_at == due_at
        and (row.done_at is None) == (done_at is None)
        and (done_at is not None or row.responsible_agency_id == agency_id)
    ):
        return
    agency = Agency.objects.get(pk=agency_id)
    set_deadline(case=case, kind=kind, due_at=due_at, source=source, agency=agency)
    if done_at is not None:
        complete_deadlines(source, kind, at=done_at)


def _write_first_deadlines(case: Case, decisions: list[IdentificationDecision]) -> None:
    """`decisions`: the case's decisions, latest first."""
    first = {d.kind: d for d in decisions if d.procedure == DecisionProcedure.FIRST}
    presumed = first.get(DecisionKind.PRESUMED)
    _settle(
        case,
        PRESUMED_KIND,
        case,
        due_at=presumed.due_at
        if presumed is not None and presumed.due_at
        else decision_deadline(DecisionKind.PRESUMED, start=case.opened_at).due_at,
        done_at=presumed.decided_at if presumed is not None else None,
        agency_id=presumed.agency_id if presumed is not None else first_decider(case),
    )
    identified = first.get(DecisionKind.IDENTIFIED)
    standing = next((d for d in decisions if d.kind == DecisionKind.PRESUMED), None)
    if identified is not None:  # taken: done, when it fell due (as the rulebook counts, where not kept)
        counted_from = standing.decided_at if standing is not None else identified.decided_at
        _settle(
            case,
            IDENTIFIED_KIND,
            case,
            due_at=identified.due_at or decision_deadline(DecisionKind.IDENTIFIED, start=counted_from).due_at,
            done_at=identified.decided_at,
            agency_id=identified.agency_id,
        )
        return
    if standing is None or standing.outcome != DecisionOutcome.POSITIVE:
        # Nothing to decide, or no longer: the presumed victim decision that stands is not positive.
        cancel_deadlines(case, IDENTIFIED_KIND)
        return
    due = decision_deadline(DecisionKind.IDENTIFIED, start=standing.decided_at).due_at
    _settle(case, IDENTIFIED_KIND, case, due_at=due, done_at=None, agency_id=standing.agency_id)


def _write_review_deadlines(case: Case, decisions: list[IdentificationDecision]) -> None:
    answered = {d.pk: d.decided_at for d in decisions}
    reviewed_by = {d.pk: d.agency_id for d in decisions}
    requests = ReviewRequest.objects.filter(case=case).only("id", "due_at", "review_id", "decision_id")
    for request in requests:
        done_at = answered.get(request.review_id) if request.review_id else None
        agency_id = reviewed_by.get(request.decision_id, case.lead_agency_id)
        _settle(case, REVIEW_KIND, request, due_at=request.due_at, done_at=done_at, agency_id=agency_id)


def decision_deadlines_follow_the_team(case: Case) -> None:
    """After a change of the case team (palermo.access.duties): a referral re-routed to another authority
    takes its open presumed victim decision deadline with it. Before the opening wrote it, nothing."""
    if DeadlineRow.objects.filter(case=case, kind=PRESUMED_KIND, done_at__isnull=True).exists():
        write_decision_deadlines(case)


def write_decision_deadlines(case: Case) -> None:
    """Upsert the case's identification deadlines: the presumed victim decision (from the case's opening),
    the identified victim decision (from the positive presumed victim decision that stands) and each
    reconsideration or appeal requested (from the request); each is done when its decision is taken.
    Idempotent: call it inside the transaction that changed the case (a new case, a decision, a request)."""
    decisions = list(
        IdentificationDecision.objects.filter(case=case)
        .order_by("-decided_at", "-id")
        .only(*_DECISION_FIELDS)
    )
    _write_first_deadlines(case, decisions)
    _write_review_deadlines(case, decisions)
