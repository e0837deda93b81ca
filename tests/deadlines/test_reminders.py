"""The daily reminder, with the clock moved: who is emailed about which deadline, nobody about a case they
cannot see, no personal data, each deadline once a day; and the task run through django-tasks."""

from __future__ import annotations

import datetime
from io import StringIO

import psycopg  # noqa: F401  (its C extension must load before freezegun swaps datetime, or it warns)
import pytest
from django.core import mail
from django.core.management import call_command
from freezegun import freeze_time

from palermo.accounts.roles import Role
from palermo.cases.models import Case
from palermo.deadlines.models import Deadline
from palermo.deadlines.reminders import announce_due_deadlines
from palermo.deadlines.selectors import Day
from palermo.deadlines.services import complete_deadlines
from palermo.deadlines.tasks import announce_deadlines
from tests.cases.casework import add_person, make_case, put_on_team
from tests.deadlines.clockwork import REVIEW, close_case, due

pytestmark = pytest.mark.django_db

MONDAY_MORNING = "2027-03-08 07:30:00"
IMMEDIATE_TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture(autouse=True)
def clock():
    with freeze_time(MONDAY_MORNING) as frozen:
        yield frozen


@pytest.fixture
def day(clock):
    return Day.of()


@pytest.fixture
def member(make_member):
    """A member with an email address (personas have none): the reminder needs somewhere to write."""

    def make(role, **kwargs):
        user = make_member(role, **kwargs)
        user.email = f"{user.username}@example.org"
        user.save(update_fields=["email"])
        return user

    return make


@pytest.fixture
def manager(member):
    return member(Role.CASE_MANAGER)


@pytest.fixture
def agency(manager):
    return manager.membership.agency


def inbox() -> dict[str, str]:
    """Each recipient's digest body, by address (one digest per person, so a repeated address fails)."""
    bodies: dict[str, str] = {}
    for message in mail.outbox:
        (address,) = message.to
        assert address not in bodies, f"two digests for {address}"
        bodies[address] = message.body
    return bodies


def test_each_responsible_person_gets_one_digest_of_their_deadlines(member, manager, agency, day):
    colleague = member(Role.CASE_MANAGER, agency=agency)
    responder = member(Role.FIRST_RESPONDER, agency=agency)
    partner_manager = member(Role.CASE_MANAGER)
    partner = partner_manager.membership.agency

    own = make_case(agency)
    by_user = due(own, day, -3, user=manager)
    by_user_too = due(own, day, 1, kind=REVIEW, user=manager)

    named = make_case(agency)
    put_on_team(named, responder, whole_agency=False)
    by_agency_named = due(named, day, 0, agency=agency)  # the agency's person named on the team

    on_team = make_case(agency)
    put_on_team(on_team, partner_manager)
    by_team_managers = due(on_team, day, 2)  # nobody responsible: the team's case managers

    led = make_case(agency)
    by_lead_managers = due(led, day, -1)  # no team at all: the lead agency's case managers

    due(make_case(agency), day, 3, user=manager)  # beyond the two-day horizon
    done = make_case(agency)
    due(done, day, -4, user=manager)
    complete_deadlines(done)
    closed = make_case(agency)
    put_on_team(closed, manager, whole_agency=False)
    due(closed, day, -4, user=manager)
    close_case(manager, closed)

    announced = announce_due_deadlines()

    assert announced.as_dict() == {"deadlines": 5, "emails": 4, "unannounced": 0}
    bodies = inbox()
    assert set(bodies) == {
        manager.email,
        colleague.email,
        responder.email,
        partner_manager.email,
    }
    mine = bodies[manager.email]
    assert own.reference in mine and led.reference in mine
    assert "Decide on the test matter" in mine and "Review the test plan" in mine
    assert "3 days overdue" in mine and "1 day overdue" in mine
    assert named.reference not in mine and on_team.reference not in mine
    assert bodies[colleague.email].count("- ") == 1 and led.reference in bodies[colleague.email]
    assert named.reference in bodies[responder.email] and own.reference not in bodies[responder.email]
    assert on_team.reference in bodies[partner_manager.email]
    assert led.reference not in bodies[partner_manager.email]
    assert partner.name not in "".join(bodies.values())
    reminded = set(Deadline.objects.filter(reminded_on=day.today).values_list("pk", flat=True))
    assert reminded == {
        d.pk for d in (by_user, by_user_too, by_agency_named, by_team_managers, by_lead_managers)
    }


def test_nobody_is_told_about_a_case_they_cannot_see(member, make_agency, manager, agency, day):
    """Named responsible, by user and agency, on another agency's case they are not on the team of: the
    lead agency's case manager is told instead; a rapporteur named on the team never is."""
    stranger = member(Role.CASE_MANAGER)
    case = make_case(agency)
    due(case, day, -1, user=stranger, agency=stranger.membership.agency)
    rapporteur = member(Role.RAPPORTEUR, agency=agency)
    put_on_team(case, rapporteur, whole_agency=False)
    hidden = make_case(stranger.membership.agency)
    due(hidden, day, -1, user=stranger)

    assert announce_due_deadlines().as_dict() == {"deadlines": 2, "emails": 2, "unannounced": 0}

    bodies = inbox()
    assert set(bodies) == {manager.email, stranger.email}
    assert case.reference not in bodies[stranger.email] and hidden.reference in bodies[stranger.email]
    assert hidden.reference not in bodies[manager.email] and case.reference in bodies[manager.email]


def test_a_deadline_with_nobody_to_tell_is_counted_and_sends_nothing(make_agency, day):
    due(make_case(make_agency()), day, -1)
    assert announce_due_deadlines().as_dict() == {"deadlines": 1, "emails": 0, "unannounced": 1}
    assert mail.outbox == []


def test_the_digest_holds_no_personal_data(manager, agency, day):
    case = make_case(agency)
    person = add_person(case, birth_date=datetime.date(1999, 4, 2))
    due(case, day, -1, user=manager)
    announce_due_deadlines()
    (message,) = mail.outbox
    text = message.subject + message.body
    assert case.reference in text
    for value in (person.given_names, person.family_names, "1999-04-02"):
        assert value not in text


def test_a_second_run_the_same_day_sends_nothing_and_the_next_day_announces_again(
    clock, manager, agency, day
):
    case = make_case(agency)
    due(case, day, -1, user=manager)
    due(make_case(agency), day, 3, kind=REVIEW, user=manager)
    assert announce_due_deadlines().emails == 1
    assert announce_due_deadlines().as_dict() == {"deadlines": 0, "emails": 0, "unannounced": 0}
    assert len(mail.outbox) == 1

    clock.tick(datetime.timedelta(days=1))
    assert announce_due_deadlines().deadlines == 2  # still overdue; the other is now two days away
    assert "2 days overdue" in mail.outbox[1].body
    clock.tick(datetime.timedelta(hours=3))
    assert announce_due_deadlines().deadlines == 0


def test_a_moved_deadline_is_announced_again_the_same_day(manager, agency, day):
    case = make_case(agency)
    due(case, day, -1, user=manager)
    announce_due_deadlines()
    due(case, day, 1, user=manager)  # moved: the area wrote it again
    assert announce_due_deadlines().deadlines == 1
    assert len(mail.outbox) == 2


def test_the_horizon_is_a_setting(settings, manager, agency, day):
    due(make_case(agency), day, 5, user=manager)
    assert announce_due_deadlines().deadlines == 0
    settings.PALERMO_DEADLINE_REMINDER_DAYS = 5
    assert announce_due_deadlines().deadlines == 1


def test_the_task_runs_on_the_immediate_backend_without_booking_itself(settings, manager, agency, day):
    settings.TASKS = IMMEDIATE_TASKS
    due(make_case(agency), day, 0, user=manager)
    result = announce_deadlines.enqueue()
    assert result.status == "SUCCESSFUL"
    assert result.return_value == {"deadlines": 1, "emails": 1, "unannounced": 0}
    assert len(mail.outbox) == 1


def test_the_command_announces_now_and_prints_counts_only(manager, agency, day):
    case = make_case(agency)
    due(case, day, -2, user=manager)
    out = StringIO()
    call_command("announce_deadlines", stdout=out)
    assert "Announced 1 deadlines in 1 emails" in out.getvalue()
    assert case.reference not in out.getvalue()
    call_command("announce_deadlines", stdout=out)
    assert len(mail.outbox) == 1


def test_announcing_changes_only_the_reminder_mark(manager, agency, day):
    """Announcing writes only the reminder mark: the case and its deadline otherwise stay as they were."""
    case = make_case(agency)
    deadline = due(case, day, -1, user=manager)
    before = Case.objects.filter(pk=case.pk).values().get()
    announce_due_deadlines()
    assert Case.objects.filter(pk=case.pk).values().get() == before
    deadline.refresh_from_db()
    assert deadline.done_at is None and deadline.reminded_on == day.today
