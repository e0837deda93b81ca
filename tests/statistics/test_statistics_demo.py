"""The demo gives the rapporteur's dashboard several years of referrals, once, and none of them reaches an
area loader; the rapporteur's home page leads to the statistics."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.db.models import F
from freezegun import freeze_time

from palermo.access.selectors import cases_visible_to
from palermo.accounts.models import Membership
from palermo.accounts.roles import Role
from palermo.cases.models import Case, Phase
from palermo.deadlines.models import Deadline
from palermo.demo.accounts import load_demo_accounts
from palermo.demo.statistics import DECIDED_BY, HISTORY_PER_DEMO_CASE, load_demo
from palermo.identification.models import DecisionKind, DecisionOutcome, IdentificationDecision
from palermo.identification.selectors import cases_awaiting_decision
from palermo.statistics import selectors
from palermo.statistics.web import Filters

pytestmark = pytest.mark.django_db


def test_the_demo_history_spreads_referrals_over_years(settings: Any) -> None:
    settings.DEMO_CASES = 12
    load_demo_accounts("demo-password-for-tests")
    load_demo([])
    load_demo([])  # idempotent
    assert Case.objects.count() == 12 * HISTORY_PER_DEMO_CASE
    assert not Case.objects.filter(team_members__isnull=False).exists()
    board = selectors.dashboard(Filters())
    assert len(board.years) >= 4
    referred = next(t for t in board.tables if t.key == "referred-group")
    assert referred.total == 12 * HISTORY_PER_DEMO_CASE


def test_the_demo_history_runs_up_to_the_day_it_is_loaded_and_is_not_loaded_again_later(
    settings: Any,
) -> None:
    """The quarters run on to the demo's own cases (referred the day it is loaded), with no years missing
    between; loaded again on a later day, the history adds nothing."""
    settings.DEMO_CASES = 12
    load_demo_accounts("demo-password-for-tests")
    with freeze_time("2031-05-20 10:00"):
        load_demo([])
    opened = list(Case.objects.values_list("opened_at", flat=True))
    assert max(opened).date() < datetime.date(2031, 5, 20)
    assert max(opened).date() >= datetime.date(2030, 5, 20)  # the latest year holds the most referrals
    assert min(opened).date() >= datetime.date(2026, 5, 19)  # five years
    with freeze_time("2032-01-10 10:00"):
        load_demo([])
    assert Case.objects.count() == len(opened)


def test_the_demo_history_has_its_decisions_so_every_stage_has_years(settings: Any) -> None:
    settings.DEMO_CASES = 12
    load_demo_accounts("demo-password-for-tests")
    load_demo([])
    decisions = IdentificationDecision.objects.all()
    first = decisions.count()
    load_demo([])  # idempotent: no second decision on a case already loaded
    assert decisions.count() == first
    presumed = decisions.filter(kind=DecisionKind.PRESUMED, outcome=DecisionOutcome.POSITIVE)
    identified = decisions.filter(kind=DecisionKind.IDENTIFIED, outcome=DecisionOutcome.POSITIVE)
    assert presumed.exists() and identified.exists()
    # An identified victim was presumed one first, never decided before the referral.
    assert not identified.exclude(case__in=presumed.values("case")).exists()
    assert not decisions.filter(decided_at__lt=F("case__opened_at")).exists()
    for stage in ("presumed", "identified"):
        board = selectors.dashboard(Filters(stage=stage))
        assert len(board.years) >= 3


def test_the_rapporteurs_home_leads_to_the_statistics(make_member: Any, client_for: Any) -> None:
    page = client_for(make_member(Role.RAPPORTEUR)).get("/")
    assert page.status_code == 200
    assert "/statistics/" in page.content.decode()


def test_no_history_case_is_work_on_a_list_even_where_the_authoritys_agency_leads_it(settings: Any) -> None:
    """The history is counted, not worked: a history case led by the authority's own agency, still awaiting
    a decision, is neither among its decisions due nor on anyone's deadline list."""
    settings.DEMO_CASES = 12
    load_demo_accounts("demo-password-for-tests")
    load_demo([])
    authority = Membership.objects.get(user__username=DECIDED_BY)
    led = Case.objects.filter(lead_agency_id=authority.agency_id).exclude(phase=Phase.CLOSED)
    undecided = led.exclude(identification_decisions__isnull=False)
    assert undecided.exists() and cases_visible_to(authority).filter(pk__in=undecided).exists()
    assert not cases_awaiting_decision(authority).exists()
    assert not Deadline.objects.exists()
