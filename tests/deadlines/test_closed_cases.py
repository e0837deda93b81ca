"""A closed case's deadlines are paused: off the "due and overdue" screen, the API and the daily reminder,
kept as they were (neither deleted nor done), and back with their own dates when the case is re-opened. Other
cases are unaffected, the screen's query count does not move, and the lists still answer from the deadline
indexes."""

from __future__ import annotations

import datetime
import re
from io import StringIO

import psycopg  # noqa: F401  (its C extension must load before freezegun swaps datetime, or it warns)
import pytest
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.urls import reverse
from freezegun import freeze_time

from palermo.accounts.roles import Role
from palermo.deadlines.models import Deadline
from palermo.deadlines.reminders import announce_due_deadlines, deadlines_to_announce
from palermo.deadlines.selectors import Day, Scope, Status, due_deadlines
from palermo.deadlines.services import complete_deadlines
from tests.cases.casework import own_case as team_case
from tests.deadlines.clockwork import DECIDE, REVIEW, close_case, due, reopen_case

SCREEN = reverse("deadlines:due")
API = reverse("api-deadlines")
MONDAY_MORNING = "2027-03-08 07:30:00"


@pytest.fixture
def manager(make_member):
    """The lead agency's case manager (who may close its cases), with an email address for the reminder."""
    user = make_member(Role.CASE_MANAGER)
    user.email = f"{user.username}@example.org"
    user.save(update_fields=["email"])
    return user


def with_deadlines(case, day, manager):
    """Overdue, due soon, later and done: one deadline of each state on the case."""
    overdue = due(case, day, -3, user=manager)
    soon = due(case, day, 2, kind=REVIEW, user=manager)
    later = due(case, day, 20, kind="tests.later", user=manager)
    done = due(case, day, -6, kind="tests.done", user=manager)
    complete_deadlines(case, "tests.done")
    return [overdue, soon, later, done]


def snapshot(case) -> list[tuple]:
    return list(
        Deadline.objects.filter(case=case)
        .order_by("pk")
        .values_list("pk", "kind", "due_at", "done_at", "reminded_on", "updated_at")
    )


def references(response) -> list[str]:
    assert response.status_code == 200
    return re.findall(r"<code>([^<]+)</code>", response.content.decode())


def api_rows(response) -> list[dict]:
    assert response.status_code == 200, response.content
    return response.json()["results"]


@pytest.mark.django_db
def test_closing_keeps_the_deadlines_as_they_were_and_re_opening_brings_them_back(manager):
    day = Day.of()
    case = team_case(manager)
    with_deadlines(case, day, manager)
    before = snapshot(case)
    close_case(manager, case)
    assert snapshot(case) == before
    assert list(due_deadlines(manager.membership, day=day)) == []
    reopen_case(manager, case)
    assert snapshot(case) == before
    assert len(due_deadlines(manager.membership, day=day)) == len(before)


@pytest.mark.django_db
def test_the_screen_leaves_out_a_closed_case_and_shows_it_again_once_re_opened(client_for, manager):
    day = Day.of()
    closed, other = team_case(manager), team_case(manager)
    with_deadlines(closed, day, manager)
    due(other, day, -1, user=manager)
    client = client_for(manager)
    assert set(references(client.get(SCREEN))) == {closed.reference, other.reference}

    close_case(manager, closed)
    for scope in Scope.values:
        response = client.get(SCREEN, {"scope": scope})
        assert references(response) == [other.reference]
        assert "1 open deadline" in response.content.decode()
    assert references(client.get(SCREEN, {"kind": REVIEW})) == []

    reopen_case(manager, closed)
    page = client.get(SCREEN)
    assert sorted(references(page)) == sorted([closed.reference] * 3 + [other.reference])
    assert "4 open deadlines" in page.content.decode()


@pytest.mark.django_db
def test_the_api_leaves_out_a_closed_case_in_every_status_and_brings_back_its_dates(client_for, manager):
    day = Day.of()
    closed, other = team_case(manager), team_case(manager)
    deadlines = with_deadlines(closed, day, manager)
    kept = due(other, day, 1, user=manager)
    client = client_for(manager)
    original = {row["id"]: row["due_at"] for row in api_rows(client.get(API))}

    close_case(manager, closed)
    for scope in Scope.values:
        for status in ("", *Status.values):
            rows = api_rows(client.get(API, {"scope": scope, **({"status": status} if status else {})}))
            assert {row["case"] for row in rows} <= {other.reference}
    assert [row["id"] for row in api_rows(client.get(API))] == [kept.pk]
    assert api_rows(client.get(API, {"case": closed.reference})) == []
    assert [row["id"] for row in api_rows(client.get(API, {"kind": DECIDE}))] == [kept.pk]

    reopen_case(manager, closed)
    rows = api_rows(client.get(API))
    assert {row["id"]: row["due_at"] for row in rows} == original
    assert {row["id"] for row in rows} == {kept.pk, *(d.pk for d in deadlines)}
    assert [row["id"] for row in api_rows(client.get(API, {"status": "done"}))] == [deadlines[-1].pk]


@pytest.mark.django_db
def test_the_reminder_skips_a_closed_case_and_announces_it_again_once_re_opened(manager):
    with freeze_time(MONDAY_MORNING) as clock:
        day = Day.of()
        closed, other = team_case(manager), team_case(manager)
        due(closed, day, -1, user=manager)
        due(other, day, 1, user=manager)
        close_case(manager, closed)

        assert announce_due_deadlines().as_dict() == {"deadlines": 1, "emails": 1, "unannounced": 0}
        (message,) = mail.outbox
        assert other.reference in message.body and closed.reference not in message.body
        assert Deadline.objects.get(case=closed).reminded_on is None

        clock.tick(datetime.timedelta(days=1))
        assert announce_due_deadlines().deadlines == 1  # the other case, still due; the closed one is not
        assert closed.reference not in mail.outbox[1].body

        reopen_case(manager, closed)
        assert announce_due_deadlines().deadlines == 1
        body = mail.outbox[2].body
        assert closed.reference in body and "due 7 March 2027, 2 days overdue" in body


@pytest.mark.django_db(transaction=True)
def test_a_run_booked_before_the_case_closed_does_not_announce_it(make_member):
    with freeze_time(MONDAY_MORNING):
        manager = make_member(Role.CASE_MANAGER)
        manager.email = f"{manager.username}@example.org"
        manager.save(update_fields=["email"])
        day = Day.of()
        closed, other = team_case(manager), team_case(manager)
        due(closed, day, -1, user=manager)
        due(other, day, 0, user=manager)
        call_command("schedule_deadline_reminders", "--now", stdout=StringIO())
        close_case(manager, closed)  # after the run was booked, before the worker runs it

        call_command("db_worker", "--batch", "--no-startup-delay", "--interval", "0", verbosity=0)

        (message,) = mail.outbox
        assert other.reference in message.body and closed.reference not in message.body


@pytest.mark.django_db
@pytest.mark.parametrize("count", [2, 30])
def test_closed_cases_do_not_change_the_screens_query_count(
    client_for, manager, django_assert_num_queries, count
):
    day = Day.of()
    agency = manager.membership.agency
    open_cases = []
    for index in range(count):
        case = team_case(manager)
        due(case, day, index - 10, user=manager, agency=agency)
        if index % 2:
            close_case(manager, case)
        else:
            open_cases.append(case.reference)
    client = client_for(manager)
    client.get(SCREEN)  # warm the session's caches
    with django_assert_num_queries(9):  # as without closed cases (test_views)
        response = client.get(SCREEN, {"scope": "mine"})
    assert sorted(references(response)) == sorted(open_cases)


def plan(queryset) -> str:
    """The database's plan, with sequential scans priced out on PostgreSQL (tiny tables are otherwise always
    scanned, hiding a missing index)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL enable_seqscan = off")
    return queryset.explain()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("filters", "index"),
    [
        ({"status": Status.OPEN}, "deadline_open_due"),
        ({"status": Status.OVERDUE}, "deadline_open_due"),
        ({"status": Status.DUE_SOON, "scope": Scope.AGENCY}, "deadline_open_due"),
        # On tables it holds no statistics for, PostgreSQL may also take the open-deadline index and filter
        # the kind there: an index scan either way.
        ({"status": Status.OPEN, "kind": DECIDE}, ("deadline_kind_open", "deadline_open_due")),
        ({"reference": "NRM-0000-0000"}, "deadline_case"),  # deadline_case_open or the case_id index
    ],
    ids=["open", "overdue", "due-soon-agency", "kind", "case"],
)
def test_the_lists_still_answer_from_the_deadline_indexes(manager, filters, index):
    day = Day.of()
    case = team_case(manager)
    due(case, day, -1, user=manager)
    close_case(manager, team_case(manager))
    text = plan(due_deadlines(manager.membership, day=day, **filters))
    assert any(name in text for name in ((index,) if isinstance(index, str) else index)), text
    if connection.vendor == "sqlite":
        assert "SCAN deadlines_deadline" not in text, text


@pytest.mark.django_db
def test_the_reminder_still_answers_from_the_open_deadline_index(manager):
    due(team_case(manager), Day.of(), -1, user=manager)
    text = plan(deadlines_to_announce(Day.of(), 2))
    assert "deadline_open_due" in text, text
    if connection.vendor == "sqlite":
        assert "SCAN deadlines_deadline" not in text, text
