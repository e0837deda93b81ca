"""The timeline: every event in time order, entries above the reader's tiers left out, paged, few queries."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from palermo.cases.models import CaseEvent, EventKind
from palermo.cases.selectors import case_timeline
from palermo.cases.services.lifecycle import case_transition
from palermo.cases.services.notes import case_note_add
from palermo.cases.services.timeline import case_event_add
from tests.cases.casework import htmx, make_case, put_on_team

pytestmark = pytest.mark.django_db


@pytest.fixture
def case(manager, migration):
    case = make_case(manager.membership.agency)
    put_on_team(case, manager)
    put_on_team(case, migration)
    return case


def test_events_come_in_time_order_with_notes_and_status_changes(manager, case):
    case_note_add(actor=manager, membership=manager.membership, case=case, body="first", tier=1)
    case_transition(
        actor=manager, membership=manager.membership, case=case, name="start_reflection", expected_version=1
    )
    case_note_add(actor=manager, membership=manager.membership, case=case, body="later", tier=2)
    events = list(case_timeline(case, {1, 2, 3, 4}))
    assert [e.kind for e in events] == [EventKind.NOTE, EventKind.STATUS, EventKind.NOTE]
    assert [e.occurred_at for e in events] == sorted(e.occurred_at for e in events)


def test_entries_above_the_viewers_tiers_are_omitted(client_for, manager, migration, case):
    case_note_add(actor=manager, membership=manager.membership, case=case, body="narrative", tier=4)
    case_note_add(actor=manager, membership=manager.membership, case=case, body="whereabouts", tier=3)
    case_note_add(actor=manager, membership=manager.membership, case=case, body="identity", tier=2)
    assert [e.tier for e in case_timeline(case, {1, 2})] == [2]
    html = client_for(migration).get(reverse("cases:timeline", args=[case.reference]), **htmx()).content
    assert html.decode().count("Note added") == 1
    api = client_for(migration).get(reverse("api-case-timeline", args=[case.reference])).json()
    assert [e["tier"] for e in api["results"]] == [2]
    full = client_for(manager).get(reverse("api-case-timeline", args=[case.reference])).json()
    assert [e["tier"] for e in full["results"]] == [4, 3, 2]


def events(case, manager, count):
    start = timezone.now() - datetime.timedelta(days=count)
    for day in range(count):
        event = case_event_add(
            actor=manager,
            membership=manager.membership,
            case=case,
            kind=EventKind.REFERRAL,
            tier=1,
            summary=f"Entry {day:03d}",
        )
        CaseEvent.objects.filter(pk=event.pk).update(occurred_at=start + datetime.timedelta(days=day))


def test_the_timeline_pages_oldest_first(client_for, manager, case):
    events(case, manager, 130)
    client = client_for(manager)
    first = client.get(reverse("cases:timeline", args=[case.reference]), **htmx()).content.decode()
    assert "Entry 000" in first and "Entry 099" in first and "Entry 100" not in first
    second = client.get(
        reverse("cases:timeline", args=[case.reference]), {"timeline_page": 2}, **htmx()
    ).content.decode()
    assert "Entry 100" in second and "Entry 129" in second and "Entry 099" not in second


@pytest.mark.parametrize("count", [5, 60])
def test_the_timeline_costs_the_same_queries_for_5_or_60_events(
    client_for, manager, case, django_assert_num_queries, count
):
    events(case, manager, count)
    client = client_for(manager)
    url = reverse("cases:timeline", args=[case.reference])
    # session, user, OTP device, memberships, the case (with its access facts), count, page (actors and
    # agencies joined).
    with django_assert_num_queries(7):
        response = client.get(url, **htmx())
    assert response.content.decode().count("Entry ") == count
    with django_assert_num_queries(7):
        client.get(reverse("api-case-timeline", args=[case.reference]))


def test_without_htmx_a_section_link_opens_the_whole_case_page(client_for, manager, case):
    html = client_for(manager).get(reverse("cases:timeline", args=[case.reference])).content.decode()
    assert "<html" in html and 'id="section-notes"' in html
