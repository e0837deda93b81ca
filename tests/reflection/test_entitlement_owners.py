"""Each entitlement's deadline belongs to the agency whose duty the rulebook says it is (the team's agency of
the owner type, else the lead agency), follows the team and the lead as they change, and shows on that
agency's list of what is due only."""

from __future__ import annotations

import pytest

from palermo.access.services import case_team_add, case_team_remove
from palermo.accounts.roles import AgencyType, Role
from palermo.cases.models import Case
from palermo.cases.services.lead import case_lead_transfer
from palermo.deadlines.models import Deadline
from palermo.deadlines.selectors import Scope, due_deadlines
from tests.reflection.conftest import request_period

ACCOMMODATION = "reflection.entitlement.safe_accommodation"
LEGAL_INFORMATION = "reflection.entitlement.legal_information"
REASON = "Brought in for the person's legal questions."


def owner(case, kind: str):
    return Deadline.objects.get(case=case, kind=kind).responsible_agency


@pytest.fixture
def period(team_case, manager):
    return request_period(manager, team_case)


def test_each_deadline_goes_to_the_team_s_agency_of_its_type_else_the_lead(team_case, manager, period):
    # The team: the responder's police agency (lead), the authority's, and the manager's NGO; no legal aid.
    assert owner(team_case, ACCOMMODATION) == manager.membership.agency
    assert owner(team_case, LEGAL_INFORMATION) == team_case.lead_agency


def test_a_legal_aid_agency_that_joins_takes_its_duties_and_leaving_gives_them_back(
    team_case, manager, make_agency, period
):
    legal = make_agency(AgencyType.LEGAL_AID)
    actor = {"actor": manager, "membership": manager.membership}
    case_team_add(**actor, case=team_case, agency=legal, reason=REASON)
    assert owner(team_case, LEGAL_INFORMATION) == legal
    assert owner(team_case, "reflection.entitlement.legal_assistance") == legal
    assert owner(team_case, ACCOMMODATION) == manager.membership.agency  # not its duty
    case_team_remove(**actor, case=team_case, agency=legal, reason=REASON)
    assert owner(team_case, LEGAL_INFORMATION) == team_case.lead_agency


def test_what_the_lead_answered_for_follows_the_lead(team_case, responder, make_agency, period):
    successor = make_agency(AgencyType.SOCIAL_SERVICES)
    case_lead_transfer(
        actor=responder,
        membership=responder.membership,
        case=team_case,
        agency=successor,
        reason="The social services of the person's new town take the case over.",
        expected_version=Case.objects.get(pk=team_case.pk).version,  # the period moved the phase
    )
    assert owner(team_case, LEGAL_INFORMATION) == successor


def test_a_done_entitlement_stays_with_whoever_did_it(team_case, manager, make_agency, period):
    from palermo.reflection.services.entitlements import entitlement_update

    entitlement = period.entitlements.get(kind="legal_information")
    entitlement_update(
        actor=manager,
        membership=manager.membership,
        entitlement=entitlement,
        status="provided",
        expected_version=entitlement.version,
    )
    legal = make_agency(AgencyType.LEGAL_AID)
    case_team_add(actor=manager, membership=manager.membership, case=team_case, agency=legal, reason=REASON)
    assert owner(team_case, LEGAL_INFORMATION) == team_case.lead_agency


def test_each_agency_s_due_list_shows_its_own_duties_only(team_case, responder, manager, period, make_member):
    lead_list = {d.kind for d in due_deadlines(responder.membership, scope=Scope.AGENCY)}
    ngo_list = {d.kind for d in due_deadlines(manager.membership, scope=Scope.AGENCY)}
    assert ACCOMMODATION in ngo_list and ACCOMMODATION not in lead_list
    assert LEGAL_INFORMATION in lead_list and LEGAL_INFORMATION not in ngo_list
    # A deadline that is no one agency's duty is still on every list of those working on the case.
    assert "reflection.end" in lead_list and "reflection.end" in ngo_list


def test_a_person_named_on_the_team_sees_their_agency_s_duties_only(team_case, manager, period, make_member):
    lawyer = make_member(Role.SERVICE_PROVIDER, AgencyType.LEGAL_AID)
    case_team_add(
        actor=manager,
        membership=manager.membership,
        case=team_case,
        agency=lawyer.membership.agency,
        user=lawyer,
        reason=REASON,
    )
    mine = {d.kind for d in due_deadlines(lawyer.membership, scope=Scope.MINE)}
    assert LEGAL_INFORMATION in mine and ACCOMMODATION not in mine
    assert "reflection.end" in mine
