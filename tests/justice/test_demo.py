"""The demo module: proceedings at several stages where the demo prosecutor is on the team (two victims in one
of them, a hearing put off once), risk assessments where the demo protection officer is, the person's side by
the demo case manager; once only."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from palermo.access.services import case_team_open
from palermo.accounts.models import Membership
from palermo.cases.models import Case, Phase
from palermo.demo.accounts import load_demo_accounts
from palermo.demo.justice import DEMO_INVESTIGATOR, DEMO_MANAGER, DEMO_PROTECTION, load_demo
from palermo.justice.models import (
    Adjournment,
    CompensationClaim,
    HearingStatus,
    InformedChoice,
    Proceeding,
    ProceedingParty,
    RiskAssessment,
)

pytestmark = pytest.mark.django_db
MONTHS = datetime.timedelta(days=120)


def test_load_demo_shows_proceedings_at_several_stages_once():
    load_demo_accounts("demo-password-for-tests")
    members = {
        name: Membership.objects.select_related("user", "agency").get(user__username=name)
        for name in (DEMO_MANAGER, DEMO_INVESTIGATOR, DEMO_PROTECTION)
    }
    manager = members[DEMO_MANAGER]

    def demo_case(*others: Membership) -> Case:
        case = Case.objects.create(lead_agency=manager.agency, opened_by=manager.user, phase=Phase.ASSISTANCE)
        agencies = [manager.agency, *(member.agency for member in others)]
        case_team_open(actor=manager.user, membership=manager, case=case, agencies=agencies)
        return case

    cases = [demo_case(members[DEMO_INVESTIGATOR], members[DEMO_PROTECTION]) for _ in range(6)] + [
        demo_case()
    ]
    Case.objects.filter(pk__in=[case.pk for case in cases]).update(opened_at=timezone.now() - MONTHS)
    for case in cases:
        case.refresh_from_db()
    load_demo(cases)
    load_demo(cases)
    stages = set(Proceeding.objects.values_list("stage", flat=True))
    assert {"investigation", "prosecution", "trial", "closed"} <= stages
    assert ProceedingParty.objects.filter(case=cases[5]).exists()
    shared = Proceeding.objects.filter(parties__case=cases[5]).get()
    assert shared.parties.count() == 2  # two victims of one group
    assert not ProceedingParty.objects.filter(case=cases[6]).exists()
    assert RiskAssessment.objects.count() == 6
    assert InformedChoice.objects.count() == 6 and CompensationClaim.objects.count() == 6
    # One hearing in four was put off once, then held on its new day.
    put_off = Adjournment.objects.select_related("hearing").get()
    assert put_off.reason == "accused_absent" and put_off.hearing.held_on == put_off.to_day
    assert put_off.hearing.status == HearingStatus.HELD
