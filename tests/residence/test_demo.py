"""The demo module: applications for demo cases past the reflection phase, by the demo case manager, once;
granted by the demo migration officer where the migration directorate is on the team."""

from __future__ import annotations

import pytest

from palermo.access.services import case_team_open
from palermo.accounts.models import Membership
from palermo.cases.models import Case, Phase
from palermo.demo.accounts import load_demo_accounts
from palermo.demo.residence import DEMO_MANAGER, DEMO_MIGRATION, load_demo
from palermo.residence.models import Application, Decision, HumanitarianAssessment, Permit

pytestmark = pytest.mark.django_db


def test_load_demo_records_applications_once():
    load_demo_accounts("demo-password-for-tests")
    manager = Membership.objects.select_related("user", "agency").get(user__username=DEMO_MANAGER)
    migration = Membership.objects.select_related("user", "agency").get(user__username=DEMO_MIGRATION)

    def demo_case(phase: str, *others: Membership) -> Case:
        case = Case.objects.create(lead_agency=manager.agency, opened_by=manager.user, phase=phase)
        agencies = [manager.agency, *(member.agency for member in others)]
        case_team_open(actor=manager.user, membership=manager, case=case, agencies=agencies)
        return case

    cases = [
        demo_case(Phase.ASSISTANCE),
        demo_case(Phase.LONG_TERM),
        demo_case(Phase.ASSISTANCE, migration),
        demo_case(Phase.IDENTIFICATION),
    ]
    load_demo(cases)
    load_demo(cases)
    decided = {cases[0].pk, cases[1].pk, cases[2].pk}
    assert set(Application.objects.values_list("case_id", flat=True)) == decided
    assert Application.objects.filter(case=cases[0], kind="asylum").exists()
    assessment = HumanitarianAssessment.objects.get(application__case=cases[1])
    assert assessment.assessed_by == manager.user  # the findings are T4: the case manager's
    assert Permit.objects.filter(case__in=cases).count() == 3
    deciders = dict(Decision.objects.values_list("application__case_id", "decided_by__username"))
    assert deciders == {cases[0].pk: DEMO_MANAGER, cases[1].pk: DEMO_MANAGER, cases[2].pk: DEMO_MIGRATION}
