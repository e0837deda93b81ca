"""Case teams: adding grants access and removing revokes it with the next request; only those the matrix lets
manage a team may change it; every change is on the timeline and in the audit log."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from palermo.access import policy
from palermo.access.models import CaseTeamMember
from palermo.access.selectors import cases_visible_to
from palermo.access.services import case_team_add, case_team_open, case_team_remove
from palermo.access.tiers import Tier
from palermo.accounts.roles import Role
from palermo.audit.models import AuditEvent
from palermo.cases.models import Case, CaseEvent, EventKind
from palermo.deadlines.selectors import in_scope
from palermo.deadlines.services import set_deadline
from tests.access.conftest import membership_of, team_row
from tests.deadlines.clockwork import DECIDE

pytestmark = pytest.mark.django_db


def add(manager, case, agency, user=None, reason="needs to assist"):
    return case_team_add(
        actor=manager, membership=membership_of(manager), case=case, agency=agency, user=user, reason=reason
    )


def remove(manager, case, agency, user=None, reason="assistance ended"):
    return case_team_remove(
        actor=manager, membership=membership_of(manager), case=case, agency=agency, user=user, reason=reason
    )


def test_adding_an_agency_grants_its_members_access_and_removing_revokes_it_at_once(team_case, member):
    case, manager = team_case()
    shelter_worker = member(Role.CASE_MANAGER)
    outsider = membership_of(shelter_worker)
    assert not policy.can_read(outsider, Case.objects.get(pk=case.pk), Tier.IDENTITY)

    add(manager, case, outsider.agency)
    # The next request reads the case afresh, as a new instance.
    assert policy.can_read(outsider, Case.objects.get(pk=case.pk), Tier.IDENTITY)
    assert cases_visible_to(outsider).filter(pk=case.pk).exists()

    remove(manager, case, outsider.agency)
    assert not policy.can_read(outsider, Case.objects.get(pk=case.pk), Tier.METADATA)
    assert not cases_visible_to(outsider).filter(pk=case.pk).exists()


def test_the_same_instance_is_asked_again_after_a_change(team_case, member):
    case, manager = team_case()
    other = membership_of(member(Role.PROTECTION_OFFICER))
    assert not policy.can_read(other, case, Tier.LOCATION)
    add(manager, case, other.agency)
    assert policy.can_read(other, case, Tier.LOCATION)


def test_a_named_person_is_added_alone(team_case, member):
    case, manager = team_case()
    officer = member(Role.INVESTIGATOR)
    colleague = member(Role.INVESTIGATOR, agency=membership_of(officer).agency)
    add(manager, case, membership_of(officer).agency, user=officer)
    assert policy.can_read(membership_of(officer), Case.objects.get(pk=case.pk), Tier.NARRATIVE)
    assert not policy.can_read(membership_of(colleague), Case.objects.get(pk=case.pk), Tier.METADATA)


def test_removal_keeps_the_entry_as_history(team_case, member):
    case, manager = team_case()
    agency = membership_of(member(Role.SERVICE_PROVIDER)).agency
    add(manager, case, agency)
    entry = remove(manager, case, agency, reason="referral closed")
    entry.refresh_from_db()
    assert entry.removed_at is not None and entry.removed_by == manager
    assert entry.removal_reason == "referral closed"
    # Added again later: a new active entry beside the closed one.
    add(manager, case, agency)
    assert CaseTeamMember.objects.filter(case=case, agency=agency).count() == 2


@pytest.mark.parametrize(
    "role",
    [r for r in Role if r not in (Role.CASE_MANAGER, Role.IDENTIFICATION_AUTHORITY, Role.FIRST_RESPONDER)],
    ids=str,
)
def test_team_members_whose_role_does_not_manage_teams_cannot_change_it(role, team_case, member):
    case, _ = team_case(is_child=True)
    insider = member(role)
    team_row(case, membership_of(insider).agency)
    newcomer = membership_of(member(Role.SERVICE_PROVIDER)).agency
    with pytest.raises(PermissionDenied):
        add(insider, case, newcomer)


@pytest.mark.parametrize("role", [Role.CASE_MANAGER, Role.IDENTIFICATION_AUTHORITY], ids=str)
def test_outsiders_cannot_change_a_team_even_in_a_managing_role(role, team_case, member):
    case, _ = team_case()
    outsider = member(role)
    with pytest.raises(PermissionDenied):
        add(outsider, case, membership_of(outsider).agency)


def test_a_first_responder_manages_the_team_of_the_case_they_opened_only(make_case, member):
    responder = member(Role.FIRST_RESPONDER)
    agency = membership_of(responder).agency
    own = make_case(agency, opened_by=responder)
    someone_elses = make_case(agency)
    team_row(own, agency)
    team_row(someone_elses, agency)
    newcomer = membership_of(member(Role.CASE_MANAGER)).agency
    add(responder, own, newcomer)
    with pytest.raises(PermissionDenied):
        add(responder, someone_elses, newcomer)


def test_bad_additions_are_refused(team_case, member):
    case, manager = team_case()
    agency = membership_of(manager).agency
    with pytest.raises(ValidationError, match="Already on the case team"):
        add(manager, case, agency)
    stranger = member(Role.CASE_MANAGER)
    with pytest.raises(ValidationError, match="does not work for that agency"):
        add(manager, case, agency, user=stranger)
    with pytest.raises(ValidationError, match="reason"):
        add(manager, case, membership_of(stranger).agency, reason="  ")


def test_a_person_named_beside_their_whole_agency_takes_the_case_as_their_own(team_case, member):
    case, manager = team_case()
    agency = membership_of(manager).agency
    colleague = member(Role.CASE_MANAGER, agency=agency)
    due = set_deadline(case=case, kind=DECIDE, due_at=timezone.now(), source=case, agency=agency)
    assert due not in in_scope(membership_of(colleague))  # the agency's, not theirs
    add(manager, case, agency, user=colleague)
    assert due in in_scope(membership_of(colleague))
    with pytest.raises(ValidationError, match="Already on the case team"):
        add(manager, case, agency, user=colleague)
    remove(manager, case, agency)  # the agency leaves; the person named for it stays, seeing what they saw
    assert policy.can_read(membership_of(colleague), Case.objects.get(pk=case.pk), Tier.IDENTITY)
    still = CaseTeamMember.objects.filter(case=case, removed_at__isnull=True)
    assert [entry.user_id for entry in still] == [colleague.pk]


def test_the_last_team_entry_stays(team_case):
    case, manager = team_case()
    with pytest.raises(ValidationError, match="at least one"):
        remove(manager, case, membership_of(manager).agency)


def test_every_team_change_is_audited_and_on_the_timeline(team_case, member):
    case, manager = team_case()
    agency = membership_of(member(Role.GUARDIAN)).agency
    before = AuditEvent.objects.count()
    entry = add(manager, case, agency, reason="guardian appointed")
    remove(manager, case, agency, reason="guardian replaced")
    events = list(AuditEvent.objects.order_by("sequence"))[before:]
    # The reasons stay with the team entry, encrypted (issue 15, item 5); the events point to it.
    assert [(e.action, e.object_id, e.case_id, e.tier, e.reason) for e in events] == [
        ("case_team.add", str(entry.pk), case.pk, 1, ""),
        ("case_team.remove", str(entry.pk), case.pk, 1, ""),
    ]
    stored = CaseTeamMember.objects.get(pk=entry.pk)
    assert (stored.reason, stored.removal_reason) == ("guardian appointed", "guardian replaced")
    assert all(e.actor_id == manager.pk and e.role == Role.CASE_MANAGER for e in events)
    kinds = CaseEvent.objects.filter(case=case, kind=EventKind.TEAM).values_list("summary", flat=True)
    assert list(kinds) == [f"Case team: {agency.name} added", f"Case team: {agency.name} removed"]


def test_the_first_team_is_set_once_by_whoever_opened_the_case(make_case, member, make_agency):
    responder = member(Role.FIRST_RESPONDER)
    membership = membership_of(responder)
    case = make_case(membership.agency, opened_by=responder)
    panel = make_agency()
    before = AuditEvent.objects.count()
    entries = case_team_open(
        actor=responder, membership=membership, case=case, agencies=[membership.agency, panel, panel, None]
    )
    assert [e.agency for e in entries] == [membership.agency, panel]
    assert AuditEvent.objects.count() - before == 2
    with pytest.raises(PermissionDenied):
        case_team_open(actor=responder, membership=membership, case=case, agencies=[make_agency()])


def test_the_first_team_is_not_set_by_someone_else(make_case, member):
    opener = member(Role.FIRST_RESPONDER)
    colleague = member(Role.CASE_MANAGER, agency=membership_of(opener).agency)
    case = make_case(membership_of(opener).agency, opened_by=opener)
    with pytest.raises(PermissionDenied):
        case_team_open(
            actor=colleague,
            membership=membership_of(colleague),
            case=case,
            agencies=[membership_of(colleague).agency],
        )
