"""The demo module: periods for demo cases past identification, by the demo case manager, idempotent."""

from __future__ import annotations

import pytest

from palermo.access.services import case_team_open
from palermo.accounts.models import Membership
from palermo.cases.models import Case, CaseEvent, Phase
from palermo.demo.accounts import load_demo_accounts
from palermo.demo.reflection import DEMO_MANAGER, load_demo
from palermo.reflection.models import Entitlement, ReflectionPeriod

pytestmark = pytest.mark.django_db


def test_load_demo_opens_periods_once():
    load_demo_accounts("demo-password-for-tests")
    manager = Membership.objects.select_related("user", "agency").get(user__username=DEMO_MANAGER)

    def demo_case(phase: str) -> Case:
        case = Case.objects.create(lead_agency=manager.agency, opened_by=manager.user, phase=phase)
        case_team_open(actor=manager.user, membership=manager, case=case, agencies=[manager.agency])
        return case

    cases = [demo_case(Phase.REFLECTION), demo_case(Phase.IDENTIFICATION), demo_case(Phase.ASSISTANCE)]
    load_demo(cases)
    load_demo(cases)
    assert set(ReflectionPeriod.objects.values_list("case_id", flat=True)) == {cases[0].pk, cases[2].pk}
    provided = Entitlement.objects.filter(status="provided")
    assert {e.period.case_id for e in provided} == {cases[0].pk, cases[2].pk}
    assert provided.count() == 4
    assert CaseEvent.objects.filter(kind="entitlement").count() == 4  # the second load added nothing
