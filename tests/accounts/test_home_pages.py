"""Each role's home page leads to its work: the panels the areas register for it, or (for a role no area
serves) the page that says what the role is for; each costs the same queries whatever the number of cases."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from palermo.access.models import BreakGlassGrant
from palermo.accounts.home import panels_for
from palermo.accounts.roles import CASE_WORKERS, Role
from palermo.cases.models import Phase
from palermo.cases.reference import CaseStatus, ClosureReason
from tests.cases.casework import add_person, team_case
from tests.queries import assert_constant_queries

pytestmark = pytest.mark.django_db

HOME = reverse("core:home")

# The panels each role's home page shows, first to last.
PANELS = {
    Role.FIRST_RESPONDER: ["cases.new", "deadlines.due"],
    Role.CASE_MANAGER: ["cases.new", "deadlines.due"],
    Role.IDENTIFICATION_AUTHORITY: ["identification.awaiting", "deadlines.due"],
    Role.MIGRATION_OFFICER: ["cases.new", "deadlines.due"],
    Role.INVESTIGATOR: ["cases.new", "deadlines.due"],
    Role.PROTECTION_OFFICER: ["cases.new", "deadlines.due"],
    Role.GUARDIAN: ["cases.new", "deadlines.due"],
    Role.SERVICE_PROVIDER: ["assistance.inbox", "cases.new", "deadlines.due"],
    Role.DATA_PROTECTION_OFFICER: ["access.review"],
    Role.RAPPORTEUR: ["statistics.dashboard"],
    Role.SYSTEM_ADMINISTRATOR: [],
    Role.AGENCY_ADMINISTRATOR: [],  # their home says what they do; the staff page is one click away
}

HEADINGS = {
    "cases.new": "New cases",
    "deadlines.due": "Due today and overdue",
    "identification.awaiting": "Decisions due",
    "assistance.inbox": "New referrals to answer",
    "access.review": "Emergency accesses to review",
    "statistics.dashboard": "National statistics",
}


@pytest.mark.parametrize("role", list(Role))
def test_each_role_has_its_worklists_in_order(client_for, make_member, role):
    assert [panel.key for panel in panels_for(role)] == PANELS[role]
    response = client_for(make_member(role)).get(HOME)
    assert response.status_code == 200
    page = response.content.decode()
    positions = [page.index(f'id="panel-{key.split(".")[1]}"') for key in PANELS[role]]
    assert positions == sorted(positions)
    for key in PANELS[role]:
        assert HEADINGS[key] in page
    if not PANELS[role]:
        assert "Your work" in page  # what the role is for
    assert response["Cache-Control"].startswith("max-age=0")  # case data: never kept by a cache


@pytest.mark.parametrize("role", CASE_WORKERS)
def test_a_new_case_shows_on_the_home_page_of_its_team(client_for, make_member, role):
    member = make_member(role)
    case = team_case(member, is_child=role == Role.GUARDIAN)
    page = client_for(member).get(HOME).content.decode()
    if "cases.new" in PANELS[role]:
        assert case.reference in page.split('id="panel-new"')[1].split("</section>")[0]


def test_a_new_case_closed_since_is_not_new_work(client_for, make_member):
    member = make_member(Role.CASE_MANAGER)
    still_open = team_case(member)
    closed = team_case(
        member,
        phase=Phase.CLOSED,
        status=CaseStatus.CLOSED,
        closed_at=timezone.now(),
        closure_reason=ClosureReason.DUPLICATE,
    )
    page = client_for(member).get(HOME).content.decode()
    panel = page.split('id="panel-new"')[1].split("</section>")[0]
    assert still_open.reference in panel and closed.reference not in panel
    assert "Cases closed since are not listed." in panel


def test_the_dpo_sees_the_emergency_accesses_not_reviewed(client_for, make_member, manager):
    dpo = make_member(Role.DATA_PROTECTION_OFFICER, agency=manager.membership.agency)
    case = team_case(manager)
    now = timezone.now()
    BreakGlassGrant.objects.create(
        membership=manager.membership,
        case=case,
        reason="A danger to life",
        granted_at=now,
        expires_at=now + datetime.timedelta(hours=1),
    )
    page = client_for(dpo).get(HOME).content.decode()
    assert case.reference in page and "1 emergency access not reviewed" in page


@pytest.mark.parametrize("role", [Role.CASE_MANAGER, Role.GUARDIAN, Role.FIRST_RESPONDER])
def test_the_home_page_costs_the_same_for_3_or_30_cases(client_for, make_member, role):
    member = make_member(role)

    def cases(count: int) -> None:
        for _ in range(count):
            add_person(team_case(member, is_child=True))

    client = client_for(member)
    assert_constant_queries(lambda: client.get(HOME), cases)
