"""The demo's cases: synthetic people referred, teamed and moved along by the demo users through the services,
and loaded again without adding anything."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command

from palermo.access.models import CaseTeamMember
from palermo.access.selectors import cases_visible_to
from palermo.accounts.models import Membership
from palermo.audit.models import AuditEvent
from palermo.cases.models import Case, CaseEvent, IdentityDocument, Person
from palermo.demo import cases as demo
from palermo.demo import synthetic
from palermo.demo.accounts import demo_password, load_demo_accounts


@pytest.fixture
def demo_accounts(settings, tmp_path):
    settings.VAR_DIR = tmp_path
    return load_demo_accounts(demo_password())


def record_counts() -> dict[str, int]:
    return {
        "cases": Case.objects.count(),
        "persons": Person.objects.count(),
        "team": CaseTeamMember.objects.count(),
        "events": CaseEvent.objects.count(),
        "documents": IdentityDocument.objects.count(),
        "audit": AuditEvent.objects.count(),
    }


def acting_as(username: str) -> Membership:
    return Membership.objects.select_related("user", "agency").get(user__username=username)


@pytest.mark.django_db
def test_demo_cases_are_referred_teamed_and_moved_along_by_the_demo_users(demo_accounts):
    result = demo.load_demo_cases(16)
    assert result is not None and result.referred + result.already_there == 16
    specs = list(synthetic.generate_cases(16, seed=demo.DEMO_SEED, until=demo.today(), years=demo.DEMO_YEARS))
    cases = list(Case.objects.all())
    assert len(cases) == result.referred >= 14  # a name drawn twice is referred once
    leads = {case.lead_agency.name for case in cases}
    assert leads <= {"Demo Labour Inspectorate", "Demo Safe Harbour NGO"}
    assert {case.opened_by.username for case in cases} <= {"demo.responder", "demo.casemanager"}
    # Each case reached its generated phase and status through the lifecycle service.
    assert len({case.phase for case in cases}) >= 3
    seen: set[str] = set()
    for spec in specs:
        if spec.person.full_name in seen:
            continue
        seen.add(spec.person.full_name)
        case = Person.objects.matching_name(spec.person.full_name).get().case
        assert (case.phase, case.status, case.closure_reason) == (
            spec.phase,
            spec.status,
            spec.closure_reason,
        )
    # Every case is on the teams of the referrer, the identification authority and the NGO's case managers.
    identification = acting_as("demo.identification")
    case_manager = acting_as("demo.casemanager")
    assert cases_visible_to(identification).count() == len(cases)
    assert cases_visible_to(case_manager).count() == len(cases)
    guardian = acting_as("demo.guardian")
    assert set(cases_visible_to(guardian)) <= {case for case in cases if case.is_child}
    assert IdentityDocument.objects.exists()


@pytest.mark.django_db
def test_demo_cases_load_twice_adds_nothing(demo_accounts):
    first = demo.load_demo_cases(10)
    before = record_counts()
    second = demo.load_demo_cases(10)
    assert record_counts() == before
    assert second == demo.DemoCasesResult(referred=0, already_there=10)
    assert first is not None and first.referred == before["cases"]


@pytest.mark.django_db
def test_demo_cases_need_the_demo_accounts():
    assert demo.load_demo_cases(5) is None
    assert not Case.objects.exists()


@pytest.mark.django_db
def test_seed_demo_loads_cases_and_a_second_run_reads_the_same(demo_accounts):
    first, second = io.StringIO(), io.StringIO()
    call_command("seed_demo", "--cases", "6", stdout=first)
    count = Case.objects.count()
    call_command("seed_demo", "--cases", "6", stdout=second)
    assert Case.objects.count() == count > 0
    assert "Demo cases: 6 synthetic people" in first.getvalue()
    assert first.getvalue() == second.getvalue()


@pytest.mark.django_db
def test_seed_demo_without_cases(demo_accounts):
    out = io.StringIO()
    call_command("seed_demo", "--cases", "0", stdout=out)
    assert not Case.objects.exists()
    assert "Demo cases" not in out.getvalue()


@pytest.mark.django_db
def test_generate_cases_through_the_services(demo_accounts):
    out = io.StringIO()
    call_command("generate_cases", "--count", "4", "--seed", "7", "--through-services", stdout=out)
    assert "referred through the services, 0 already there" in out.getvalue()
    assert Case.objects.count() >= 3
    assert all(case.team_members.exists() for case in Case.objects.all())


@pytest.mark.django_db
def test_generate_cases_through_the_services_needs_the_demo_accounts():
    with pytest.raises(CommandError, match="seed_demo"):
        call_command("generate_cases", "--count", "2", "--through-services", stdout=io.StringIO())
