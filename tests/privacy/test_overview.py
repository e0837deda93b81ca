"""The data protection officer's overview: the cases the retention run is to anonymise soon (soonest first,
with the day), the legal holds in force, the latest runs' counts, in the page and the API; the officer sees
only the cases they answer for, and the case's own screen says when its period ends."""

from __future__ import annotations

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from palermo.accounts.roles import Role
from palermo.cases.models import Case
from palermo.cases.reference import CaseStatus
from palermo.privacy.models import Anonymisation
from palermo.privacy.selectors import due_for_anonymisation
from palermo.privacy.services import legal_hold_place, retention_run
from palermo.privacy.tasks import run_and_report
from tests.cases.casework import make_case, put_on_team
from tests.queries import Queries

pytestmark = pytest.mark.django_db


def closed(manager, dpo, *, days_ago: int, status: str = CaseStatus.CLOSED_REFERRED) -> Case:
    """A case on the officer's team, closed `days_ago` (closed and referred: kept 24 months by default)."""
    case = make_case(manager.membership.agency)
    put_on_team(case, manager)
    put_on_team(case, dpo)
    closed_at = timezone.now() - datetime.timedelta(days=days_ago)
    Case.objects.filter(pk=case.pk).update(status=status, closed_at=closed_at)
    case.refresh_from_db()
    return case


@pytest.fixture
def dpo(data_protection_officer):
    return data_protection_officer


def ends(case: Case) -> datetime.date:
    """24 calendar months after the day it closed."""
    day = timezone.localdate(case.closed_at)
    return day.replace(year=day.year + 2)


def test_the_cases_whose_period_ends_soon_are_listed_soonest_first(manager, dpo, make_member):
    later = closed(manager, dpo, days_ago=700)  # ends in about a month
    sooner = closed(manager, dpo, days_ago=720)  # ends in about ten days
    closed(manager, dpo, days_ago=300)  # ends in over a year: not yet
    closed(manager, dpo, days_ago=700, status=CaseStatus.CLOSED)  # kept five years
    make_case(manager.membership.agency)  # open
    theirs = make_member(Role.CASE_MANAGER)
    elsewhere = closed(
        theirs, make_member(Role.CASE_MANAGER), days_ago=720
    )  # the officer does not answer for it
    due = due_for_anonymisation(dpo.membership, timezone.localdate())
    assert [(row.case, row.ends_on, row.held) for row in due] == [
        (sooner, ends(sooner), False),
        (later, ends(later), False),
    ]
    assert elsewhere not in [row.case for row in due]


def test_a_case_kept_past_its_day_under_a_hold_stays_on_the_list_as_kept(manager, dpo):
    expired = closed(manager, dpo, days_ago=800)
    legal_hold_place(actor=dpo, membership=dpo.membership, case=expired, reason="Proceedings pending")
    anonymised = closed(manager, dpo, days_ago=800)
    retention_run(today=timezone.localdate())
    assert Anonymisation.objects.filter(case=anonymised).exists()
    [row] = due_for_anonymisation(dpo.membership, timezone.localdate())
    assert (row.case, row.held, row.overdue) == (expired, True, False)


def test_the_overview_page_leads_to_each_case_and_says_what_the_runs_did(manager, dpo, client_for):
    due = closed(manager, dpo, days_ago=720)
    held = closed(manager, dpo, days_ago=100)
    legal_hold_place(actor=dpo, membership=dpo.membership, case=held, reason="Complaint open")
    closed(manager, dpo, days_ago=800)
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    run_and_report(yesterday)
    client = client_for(dpo)
    page = client.get(reverse("privacy:find")).content.decode()
    listed = page.split('id="due-heading"')[1].split('id="holds-heading"')[0]
    assert due.reference in listed and held.reference not in listed
    assert f'<time datetime="{ends(due).isoformat()}">' in listed
    holds = page.split('id="holds-heading"')[1].split('id="runs-heading"')[0]
    assert held.reference in holds and escape(dpo.display_name) in holds
    runs = page.split('id="runs-heading"')[1]
    expired, anonymised, held = (rf'\s*<td class="text-end">{count}</td>' for count in (1, 1, 0))
    assert re.search(
        rf'<time datetime="{yesterday.isoformat()}">[^<]*</time></th>{expired}{anonymised}{held}', runs
    )
    with Queries() as few:
        client.get(reverse("privacy:find"))
    for days_ago in (705, 710, 715):
        legal_hold_place(
            actor=dpo,
            membership=dpo.membership,
            case=closed(manager, dpo, days_ago=days_ago),
            reason="Proceedings pending",
        )
    with Queries() as more:
        page = client.get(reverse("privacy:find")).content.decode()
    assert len(more.captured_queries) == len(few.captured_queries)
    all_holds = client.get(reverse("privacy:holds")).content.decode()
    assert all_holds.count('href="/privacy/cases/') == 4
    # The case's own screen says the day.
    screen = client.get(reverse("privacy:case", args=[due.reference])).content.decode()
    day = ends(due)
    assert f"The retention period ends on {day.day} {day:%B} {day.year}" in screen


def test_the_lists_in_the_api(manager, dpo, client_for):
    due = closed(manager, dpo, days_ago=720)
    legal_hold_place(actor=dpo, membership=dpo.membership, case=due, reason="Complaint open")
    run_and_report(timezone.localdate())
    client = client_for(dpo)
    [row] = client.get(reverse("api-privacy-due")).json()["results"]
    assert row == {
        "reference": due.reference,
        "status": CaseStatus.CLOSED_REFERRED,
        "closed_at": row["closed_at"],
        "retention_ends": ends(due).isoformat(),
        "held": True,
    }
    [hold] = client.get(reverse("api-privacy-holds")).json()["results"]
    assert hold["reference"] == due.reference
    [run] = client.get(reverse("api-privacy-runs")).json()["results"]
    assert run == {"day": timezone.localdate().isoformat(), "expired": 0, "anonymised": 0, "held": 0}


def test_only_the_officer_sees_them(manager, client_for):
    client = client_for(manager)
    for name in ("privacy:find", "privacy:holds", "api-privacy-due", "api-privacy-holds", "api-privacy-runs"):
        assert client.get(reverse(name)).status_code == 404, name
