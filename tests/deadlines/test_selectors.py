"""Who sees which deadline: the user's own, their agency's, and never one on a case they cannot see."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from palermo.accounts.roles import Role
from palermo.deadlines.selectors import Bucket, Day, Scope, Status, due_deadlines, in_scope
from palermo.deadlines.services import complete_deadlines
from tests.cases.casework import make_case, put_on_team
from tests.deadlines.clockwork import DECIDE, REVIEW, close_case, due, reopen_case

pytestmark = pytest.mark.django_db


@pytest.fixture
def day():
    return Day.of()


@pytest.fixture
def colleague(make_member, manager):
    return make_member(Role.CASE_MANAGER, agency=manager.membership.agency)


@pytest.fixture
def outsider(make_member):
    return make_member(Role.CASE_MANAGER)


def ids(deadlines):
    return sorted(d.pk for d in deadlines)


def test_mine_holds_what_i_am_responsible_for_and_the_cases_i_am_named_on(day, manager, colleague, outsider):
    agency = manager.membership.agency
    named = make_case(agency)
    put_on_team(named, manager, whole_agency=False)
    on_named = due(named, day, 1)
    led = make_case(agency)
    mine_by_user = due(led, day, 2, user=manager)
    colleagues = due(led, day, 3, kind=REVIEW, user=colleague)
    assert ids(in_scope(manager.membership, Scope.MINE)) == ids([on_named, mine_by_user])
    assert ids(in_scope(colleague.membership, Scope.MINE)) == ids([colleagues])
    assert list(in_scope(outsider.membership, Scope.MINE)) == []


def test_the_agency_scope_holds_responsible_lead_and_team_cases(day, manager, outsider, make_member):
    agency = manager.membership.agency
    led = due(make_case(agency), day, 1)
    elsewhere = make_case(outsider.membership.agency)
    put_on_team(elsewhere, manager)  # manager's agency as a whole on another agency's case
    on_team = due(elsewhere, day, 2)
    other_lead = make_case(outsider.membership.agency)
    put_on_team(other_lead, manager)
    responsible = due(other_lead, day, 3, agency=agency)
    not_ours = due(make_case(outsider.membership.agency), day, 4)
    assert ids(in_scope(manager.membership, Scope.AGENCY)) == ids([led, on_team, responsible])
    assert ids(in_scope(outsider.membership, Scope.AGENCY)) == ids([on_team, responsible, not_ours])


def test_a_deadline_on_a_case_the_reader_cannot_see_never_shows(day, manager, outsider):
    """Responsible by name and by agency, yet the case is another agency's and they are not on its team."""
    hidden = due(
        make_case(manager.membership.agency), day, -1, user=outsider, agency=outsider.membership.agency
    )
    assert hidden.responsible_user == outsider
    for scope in Scope.values:
        assert list(in_scope(outsider.membership, scope)) == []
    assert ids(in_scope(manager.membership, Scope.AGENCY)) == [hidden.pk]


def test_a_guardian_sees_only_child_cases_deadlines(day, make_member):
    guardian = make_member(Role.GUARDIAN)
    agency = guardian.membership.agency
    child = due(make_case(agency, is_child=True), day, 1, user=guardian)
    due(make_case(agency), day, 1, user=guardian)
    assert ids(in_scope(guardian.membership, Scope.MINE)) == [child.pk]


def test_statuses_and_buckets_follow_the_calendar_day(day, manager):
    agency = manager.membership.agency
    rows = {offset: due(make_case(agency), day, offset, user=manager) for offset in (-5, -1, 0, 3, 7, 8, 30)}
    done = due(make_case(agency), day, -2, user=manager)
    complete_deadlines(done.case)

    def found(status):
        return ids(due_deadlines(manager.membership, status=status, day=day))

    assert found(Status.OVERDUE) == ids([rows[-5], rows[-1]])
    assert found(Status.DUE_SOON) == ids([rows[0], rows[3], rows[7]])
    assert found(Status.OPEN) == ids(rows.values())
    assert found(Status.DONE) == [done.pk]
    assert found("") == ids([*rows.values(), done])
    buckets = {offset: day.bucket(deadline) for offset, deadline in rows.items()}
    assert buckets == {
        -5: Bucket.OVERDUE,
        -1: Bucket.OVERDUE,
        0: Bucket.TODAY,
        3: Bucket.WEEK,
        7: Bucket.WEEK,
        8: Bucket.LATER,
        30: Bucket.LATER,
    }
    assert day.days_over(rows[-5]) == 5 and day.days_over(rows[0]) == 0
    done.refresh_from_db()
    assert day.bucket(done) == Bucket.DONE and day.days_over(done) == 0


def test_due_today_is_the_whole_local_day(settings, manager):
    """Early this morning is still "due today" (not overdue) until midnight, in the deployment's zone."""
    settings.TIME_ZONE = "Pacific/Auckland"
    timezone.deactivate()
    day = Day.of()
    early = due(make_case(manager.membership.agency), day, 0, user=manager)
    early.due_at = day.start + datetime.timedelta(minutes=1)
    assert day.bucket(early) == Bucket.TODAY
    early.due_at = day.start - datetime.timedelta(minutes=1)
    assert day.bucket(early) == Bucket.OVERDUE and day.days_over(early) == 1


def test_filters_by_kind_and_case_reference(day, manager):
    agency = manager.membership.agency
    first, second = make_case(agency), make_case(agency)
    decide = due(first, day, 1, user=manager)
    review = due(first, day, 2, kind=REVIEW, user=manager)
    other = due(second, day, 3, user=manager)
    assert ids(due_deadlines(manager.membership, kind=DECIDE, day=day)) == ids([decide, other])
    assert ids(due_deadlines(manager.membership, reference=first.reference, day=day)) == ids([decide, review])
    assert list(due_deadlines(manager.membership, kind="no.such_kind", day=day)) == []


def test_a_closed_case_has_no_deadlines_in_any_list(day, manager):
    case = make_case(manager.membership.agency)
    put_on_team(case, manager, whole_agency=False)
    overdue = due(case, day, -3)
    done = due(case, day, -5, kind=REVIEW)
    complete_deadlines(case, REVIEW)
    assert ids(due_deadlines(manager.membership, status=Status.OVERDUE, day=day)) == [overdue.pk]
    close_case(manager, case)
    for scope in Scope.values:
        for status in ("", *Status.values):
            assert list(due_deadlines(manager.membership, scope=scope, status=status, day=day)) == []
    reopen_case(manager, case)
    assert ids(due_deadlines(manager.membership, day=day)) == ids([overdue, done])
