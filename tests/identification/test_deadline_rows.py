"""The decision deadlines as rows of palermo.deadlines: written from the case's opening and the presumed
victim decision under the active rulebook, done when the decision is taken, never duplicated."""

from __future__ import annotations

import pytest

from palermo.accounts.models import User
from palermo.cases.models import Case
from palermo.core.rulebooks import rule
from palermo.deadlines.models import Deadline
from palermo.identification.deadlines import (
    IDENTIFIED_KIND,
    PRESUMED_KIND,
    add_days,
    write_decision_deadlines,
)
from palermo.identification.models import DecisionKind, DecisionOutcome, Ground
from palermo.identification.services.decisions import DecisionInput, decision_take

pytestmark = pytest.mark.django_db


def decide(authority: User, case: Case, kind: str, outcome: str = DecisionOutcome.POSITIVE) -> None:
    decision_take(
        actor=authority,
        membership=authority.membership,
        case=case,
        kind=kind,
        data=DecisionInput(outcome=outcome, grounds=[Ground.INDICATORS], reasons="Indicators weighed."),
    )


def rows(case: Case) -> dict[str, Deadline]:
    return {row.kind: row for row in Deadline.objects.filter(case=case)}


def test_a_new_case_has_its_presumed_victim_deadline_once(team_case: Case) -> None:
    write_decision_deadlines(team_case)
    write_decision_deadlines(team_case)

    found = rows(team_case)
    assert set(found) == {PRESUMED_KIND}
    expected = add_days(
        team_case.opened_at,
        int(rule("decisions.presumed_victim_days")),
        str(rule("decisions.presumed_victim_day_kind")),
    )
    assert found[PRESUMED_KIND].due_at == expected
    assert found[PRESUMED_KIND].done_at is None


def test_a_positive_presumed_decision_completes_it_and_opens_the_identified_deadline(
    team_case: Case, authority: User
) -> None:
    write_decision_deadlines(team_case)
    decide(authority, team_case, DecisionKind.PRESUMED)

    found = rows(team_case)
    assert found[PRESUMED_KIND].done_at is not None
    assert found[IDENTIFIED_KIND].done_at is None

    decide(authority, team_case, DecisionKind.IDENTIFIED)
    assert rows(team_case)[IDENTIFIED_KIND].done_at is not None


def test_a_negative_presumed_decision_opens_no_identified_deadline(team_case: Case, authority: User) -> None:
    decide(authority, team_case, DecisionKind.PRESUMED, DecisionOutcome.NEGATIVE)
    assert set(rows(team_case)) == {PRESUMED_KIND}
