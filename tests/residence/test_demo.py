"""The demo module: applications for demo cases past the reflection phase, by the demo case manager, once."""

from __future__ import annotations

import pytest

from palermo.access.services import case_team_open
from palermo.accounts.demo import load_demo_accounts
from palermo.accounts.models import Membership
from palermo.cases.models import Case, Phase
from palermo.residence.demo import DEMO_MANAGER, load_demo
from palermo.residence.models import Application, HumanitarianAssessment, Permit

pytestmark = pytest.mark.django_db


def test_load_demo_records_applications_once():
    load_demo_accounts("demo-password-for-tests")
    manager = Membership.objects.select_related("user", "agency").get(user__username=DEMO_MANAGER)

    def demo_case(phase: str) -> Case:
        case = Case.objects.create(lead_agency=manager.agency, opened_by=manager.user, phase=phase)
        case_team_open(actor=manager.user, membership=manager, case=case, agencies=[manager.agency])
        return case

    cases = [demo_case(Phase.ASSISTANCE), demo_case(Phase.LONG_TERM), demo_case(Phase.IDENTIFICATION)]
    load_demo(cases)
    load_demo(cases)
    assert set(Application.objects.values_list("case_id", flat=True)) == {cases[0].pk, cases[1].pk}
    assert Application.objects.filter(case=cases[0], kind="asylum").exists()
    assert HumanitarianAssessment.objects.filter(application__case=cases[1]).count() == 1
    assert Permit.objects.filter(case__in=cases[:2]).count() == 2
