"""A task no record settles (a removal look-up came close to a person) is marked dealt with from the list, by
the page and the API; other tasks are not, and another agency cannot."""

from __future__ import annotations

import pytest
from django.urls import reverse

from palermo.accounts.roles import Role
from palermo.audit.models import AuditEvent
from palermo.cases.models import CaseEvent
from palermo.deadlines.kinds import register_kind
from palermo.deadlines.models import Deadline
from palermo.deadlines.selectors import Day
from palermo.reflection.services.lookup import NEAR_MATCH_KIND
from tests.cases.casework import make_case
from tests.deadlines.clockwork import DECIDE, due

pytestmark = pytest.mark.django_db

MARKED = "tests.marked"
register_kind(MARKED, "Answer the test question", marked_done=True)
LIST = reverse("deadlines:due")


@pytest.fixture
def near_match(manager):
    case = make_case(manager.membership.agency)
    return due(case, Day.of(), 0, kind=NEAR_MATCH_KIND, agency=manager.membership.agency)


def page_url(deadline: Deadline) -> str:
    return reverse("deadlines:mark_done", args=[deadline.pk])


def api_url(deadline: Deadline) -> str:
    return reverse("api-deadline-mark-done", args=[deadline.pk])


def test_the_list_offers_to_mark_a_near_match_task_and_not_a_decision(client_for, manager, near_match):
    decision = due(near_match.case, Day.of(), 1, kind=DECIDE, agency=manager.membership.agency)
    page = client_for(manager).get(LIST, {"scope": "agency"}).content.decode()
    assert page_url(near_match) in page
    assert page_url(decision) not in page


def test_marking_it_on_the_page_confirms_and_records_who_did(client_for, manager, near_match):
    response = client_for(manager).post(page_url(near_match), follow=True)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Marked as dealt with" in page and near_match.case.reference in page
    near_match.refresh_from_db()
    assert near_match.done_at is not None
    entry = CaseEvent.objects.filter(case=near_match.case).latest("pk")
    assert entry.summary.startswith("Task dealt with") and entry.actor_id == manager.pk
    assert AuditEvent.objects.filter(action="deadline.done", actor=manager).count() == 1
    # The task is gone from the list.
    assert page_url(near_match) not in client_for(manager).get(LIST, {"scope": "agency"}).content.decode()


def test_marking_it_twice_says_so_and_changes_nothing(client_for, manager, near_match):
    client = client_for(manager)
    client.post(page_url(near_match))
    assert client.post(page_url(near_match)).status_code == 404  # no longer open
    assert client_for(manager).post(api_url(near_match)).status_code == 404
    assert AuditEvent.objects.filter(action="deadline.done").count() == 1


def test_a_task_settled_by_a_record_cannot_be_marked(client_for, manager, near_match):
    decision = due(near_match.case, Day.of(), 1, kind=DECIDE, agency=manager.membership.agency)
    response = client_for(manager).post(page_url(decision), follow=True)
    assert "done by recording what it asks for" in response.content.decode()
    answer = client_for(manager).post(api_url(decision))
    assert answer.status_code == 400 and answer.json()["error"]["code"]
    decision.refresh_from_db()
    assert decision.done_at is None


def test_another_agency_gets_404_on_the_page_and_the_api(client_for, make_member, near_match):
    stranger = make_member(Role.CASE_MANAGER)
    assert client_for(stranger).post(page_url(near_match)).status_code == 404
    assert client_for(stranger).post(api_url(near_match)).status_code == 404
    near_match.refresh_from_db()
    assert near_match.done_at is None


def test_the_api_marks_it_and_answers_the_deadline(client_for, manager):
    case = make_case(manager.membership.agency)
    task = due(case, Day.of(), -2, kind=MARKED, agency=manager.membership.agency)
    answer = client_for(manager).post(api_url(task))
    assert answer.status_code == 200
    body = answer.json()
    assert body["id"] == task.pk and body["done_at"] and body["urgency"] == "done"
