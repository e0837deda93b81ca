"""Best interest and the decisions that wait for it: the guard, the child's views on every decision,
multidisciplinary determinations, care (residential states why; reviews as deadlines), the court's decision on
legal status with representation, and durable solutions with the return's prerequisites and follow-ups."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.utils import timezone

from palermo.accounts.roles import Role
from palermo.audit.models import AuditEvent
from palermo.cases.models import CaseEvent, EventKind
from palermo.children.guards import best_interest_guard
from palermo.children.models import (
    BestInterestKind,
    CareType,
    ChildStatusOutcome,
    DurableSolution,
    EscortRole,
    FollowUpContact,
    SolutionKind,
)
from palermo.children.services.care import REVIEW_KIND, care_arrange, care_review
from palermo.children.services.solutions import (
    FOLLOWUP_KIND,
    durable_solution_decide,
    followup_record,
    return_record,
)
from palermo.core.decisions import ChildViewsMissing, DecisionBlocked, DecisionSubject, check_decision_allowed
from palermo.core.rulebooks import rulebook
from palermo.deadlines.models import Deadline
from tests.children.conftest import VIEWS, assess_family, decide_return, determine, status_decide, text

pytestmark = pytest.mark.django_db
GUARDED = [
    DecisionSubject.LEGAL_STATUS,
    DecisionSubject.CARE,
    DecisionSubject.RETURN,
    DecisionSubject.RESETTLEMENT,
]


@pytest.mark.parametrize("subject", GUARDED)
def test_the_guard_holds_child_decisions_until_a_determination(subject, manager, child_case, adult_case):
    with pytest.raises(DecisionBlocked) as blocked:
        check_decision_allowed(child_case, subject)
    assert "best-interest determination" in str(blocked.value)
    assert child_case.reference not in str(blocked.value)
    check_decision_allowed(adult_case, subject)  # the adult path is untouched
    check_decision_allowed(child_case, DecisionSubject.IDENTIFICATION)  # identification never waits
    determine(manager, child_case, kind=BestInterestKind.ASSESSMENT)
    with pytest.raises(DecisionBlocked):  # an assessment is not a determination
        check_decision_allowed(child_case, subject)
    determine(manager, child_case)
    assert best_interest_guard(child_case, subject) is None
    check_decision_allowed(child_case, subject)


def test_a_determination_is_multidisciplinary_encrypted_and_recorded(manager, child_case):
    with pytest.raises(ValidationError):
        determine(manager, child_case, participant_roles=[Role.CASE_MANAGER])
    procedure = determine(manager, child_case)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT reasons, child_views FROM children_bestinterestprocedure WHERE id = %s", [procedure.pk]
        )
        reasons, views = cursor.fetchone()
    assert procedure.reasons not in reasons and "school" not in views
    assert sorted(r.role for r in procedure.roles.all()) == sorted([Role.CASE_MANAGER, Role.GUARDIAN])
    assert CaseEvent.objects.get(case=child_case, kind=EventKind.BEST_INTEREST).tier == 4
    assert AuditEvent.objects.filter(case=child_case, action="children.best_interest.determination").exists()


def test_every_decision_records_the_childs_views_or_why_not(manager, child_case):
    no_views = {"child_views": "", "child_age_when_heard": None}
    with pytest.raises(ChildViewsMissing):
        determine(manager, child_case, **no_views)
    with pytest.raises(ChildViewsMissing) as missing:  # views without the age
        determine(manager, child_case, child_views="Wants to call home.", child_age_when_heard=None)
    assert "child_age_when_heard" in missing.value.problems
    procedure = determine(manager, child_case, **no_views, child_not_heard_reason="Asleep after surgery.")
    assert procedure.child_not_heard_reason == "Asleep after surgery."


def test_writing_needs_t4_on_the_case(make_member, manager, child_case):
    from tests.cases.casework import put_on_team

    migration = make_member(Role.MIGRATION_OFFICER)
    put_on_team(child_case, migration)
    with pytest.raises(PermissionDenied):
        determine(migration, child_case)


def arrange(user, case, **overrides):
    values = {
        "type": CareType.FOSTER,
        "starts_on": timezone.localdate(),
        "reasons": text(),
        **VIEWS,
        **overrides,
    }
    return care_arrange(actor=user, membership=user.membership, case=case, **values)


def test_care_waits_for_the_determination_and_residential_care_says_why(manager, child_case):
    with pytest.raises(DecisionBlocked):
        arrange(manager, child_case)
    determine(manager, child_case)
    with pytest.raises(ValidationError) as refused:
        arrange(manager, child_case, type=CareType.RESIDENTIAL)
    assert "residential_reason" in refused.value.message_dict
    arrangement = arrange(manager, child_case, type=CareType.RESIDENTIAL, residential_reason=text())
    assert arrangement.type == CareType.RESIDENTIAL


def test_care_reviews_fall_due_every_review_period(clock, manager, child_case):
    determine(manager, child_case)
    arrangement = arrange(manager, child_case)
    days = rulebook().children.care_review_days
    deadline = Deadline.objects.get(case=child_case, kind=REVIEW_KIND)
    assert deadline.due_at.date() == timezone.localdate() + datetime.timedelta(days=days)
    clock.advance(days=days + 2)
    assert Deadline.objects.filter(pk=deadline.pk, done_at__isnull=True, due_at__lt=timezone.now()).exists()
    care_review(
        actor=manager,
        membership=manager.membership,
        arrangement=arrangement,
        reviewed_on=timezone.localdate(),
        quality="good",
        findings=text(),
    )
    deadline.refresh_from_db()
    assert deadline.due_at.date() == timezone.localdate() + datetime.timedelta(days=days)
    # A new arrangement ends the current one and closes its review.
    arrange(manager, child_case, type=CareType.FAMILY)
    arrangement.refresh_from_db()
    deadline.refresh_from_db()
    assert arrangement.ended_on is not None and deadline.done_at is not None
    assert Deadline.objects.filter(case=child_case, kind=REVIEW_KIND, done_at__isnull=True).count() == 1


def test_legal_status_needs_the_determination_and_a_legal_representative(manager, child_case):
    with pytest.raises(DecisionBlocked):
        status_decide(manager, child_case)
    determine(manager, child_case)
    with pytest.raises(ValidationError) as refused:
        status_decide(manager, child_case, legal_representative=" ")
    assert "legal_representative" in refused.value.message_dict
    decision = status_decide(manager, child_case)
    assert decision.outcome == ChildStatusOutcome.TEMPORARY_RESIDENCE


def test_a_return_is_no_longer_decided_here(manager, child_case):
    """A child's return goes through the returns area (docs/decisions/0050): deciding one as a durable
    solution is refused, in words that say where it goes instead."""
    determine(manager, child_case)
    family = assess_family(manager, child_case)
    with pytest.raises(ValidationError) as refused:
        durable_solution_decide(
            actor=manager,
            membership=manager.membership,
            case=child_case,
            kind=SolutionKind.RETURN,
            country="ALB",
            decided_on=timezone.localdate(),
            reasons=text(),
            family_assessment=family,
            escort_role=EscortRole.SOCIAL_WORKER,
            escort_name="Social worker on duty",
            **VIEWS,
        )
    assert "return section" in refused.value.message_dict["kind"][0]
    assert not DurableSolution.objects.filter(case=child_case).exists()


def test_a_determination_says_what_it_recommends(manager, child_case):
    determination = determine(manager, child_case, recommends=SolutionKind.RETURN)
    assert determination.recommends == SolutionKind.RETURN
    with pytest.raises(ValidationError) as refused:  # an assessment recommends nothing
        determine(manager, child_case, kind="assessment", recommends=SolutionKind.RETURN)
    assert "recommends" in refused.value.message_dict
    with pytest.raises(ValidationError):
        determine(manager, child_case, recommends="elsewhere")


def test_after_return_follow_ups_are_deadlines_until_done(clock, manager, child_case):
    determine(manager, child_case)
    solution = decide_return(manager, child_case, family_assessment=assess_family(manager, child_case))
    returned = return_record(
        actor=manager,
        membership=manager.membership,
        solution=solution,
        returned_on=timezone.localdate(),
        expected_version=solution.version,
    )
    schedule = [int(d) for d in rulebook().children.return_followup_days]
    followups = list(FollowUpContact.objects.filter(solution=solution))
    assert [(f.due_on - returned.returned_on).days for f in followups] == schedule
    open_ones = Deadline.objects.filter(case=child_case, kind=FOLLOWUP_KIND, done_at__isnull=True)
    assert open_ones.count() == len(schedule)
    clock.advance(days=schedule[0] + 1)
    assert open_ones.filter(due_at__lt=timezone.now()).count() == 1
    followup_record(
        actor=manager,
        membership=manager.membership,
        followup=followups[0],
        contacted_on=timezone.localdate(),
        wellbeing=text(),
    )
    assert open_ones.filter(due_at__lt=timezone.now()).count() == 0
    assert open_ones.count() == len(schedule) - 1
    with pytest.raises(ValidationError):  # recorded once
        return_record(
            actor=manager,
            membership=manager.membership,
            solution=returned,
            returned_on=timezone.localdate(),
            expected_version=returned.version,
        )


def test_integration_and_relocation_pass_their_own_guards(manager, child_case):
    determine(manager, child_case)
    integration = durable_solution_decide(
        actor=manager,
        membership=manager.membership,
        case=child_case,
        kind=SolutionKind.INTEGRATION,
        decided_on=timezone.localdate(),
        reasons=text(),
        **VIEWS,
    )
    assert integration.kind == SolutionKind.INTEGRATION
    with pytest.raises(ValidationError):  # a relocation names the country
        durable_solution_decide(
            actor=manager,
            membership=manager.membership,
            case=child_case,
            kind=SolutionKind.RELOCATION,
            decided_on=timezone.localdate(),
            reasons=text(),
            **VIEWS,
        )
