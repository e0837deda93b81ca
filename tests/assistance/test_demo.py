"""The demo module: directory services of the demo agencies, and plans, referrals and stays on demo cases,
through the services; idempotent."""

from __future__ import annotations

import pytest

from palermo.access.services import case_team_open
from palermo.accounts.models import Membership
from palermo.assistance.models import AssistancePlan, Placement, ProviderService, Referral, ReferralStatus
from palermo.cases.models import Case
from palermo.demo.accounts import load_demo_accounts
from palermo.demo.assistance import DEMO_MANAGER, DEMO_SERVICES, load_demo
from tests.assistance.conftest import person_on

pytestmark = pytest.mark.django_db


def test_load_demo_fills_the_directory_and_assists_cases_once():
    load_demo_accounts("demo-password-for-tests")
    manager = Membership.objects.select_related("user", "agency").get(user__username=DEMO_MANAGER)

    def demo_case() -> Case:
        case = Case.objects.create(lead_agency=manager.agency, opened_by=manager.user)
        case_team_open(actor=manager.user, membership=manager, case=case, agencies=[manager.agency])
        person_on(case)
        return case

    cases = [demo_case() for _ in range(4)]
    load_demo(cases)
    load_demo(cases)
    assert ProviderService.objects.count() == len(DEMO_SERVICES)
    assert AssistancePlan.objects.count() == 4
    assert Referral.objects.filter(service__kind="legal_assistance").count() == 2
    # Cases 0 and 3 are due a shelter, but the fourth person refused accommodation in their plan.
    assert (
        Referral.objects.filter(status=ReferralStatus.ACCEPTED, service__kind="safe_accommodation").count()
        == 1
    )
    assert list(Placement.objects.filter(ended_at__isnull=True).values_list("case", flat=True)) == [
        cases[0].pk
    ]
    assert not Referral.objects.filter(case=cases[3], service__kind="safe_accommodation").exists()
