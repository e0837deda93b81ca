"""Routing rules: at each event the rulebook names, the agencies of the listed types join the case team, the
one of the case's region first; each join names the agency on the timeline, is audited and told to its
members; the events reach the routing through the areas' hooks."""

from __future__ import annotations

from typing import Any

import pytest
from django.core import mail

from palermo.access.models import CaseTeamMember
from palermo.access.routing import RoutingEvent, case_route, routed_agency
from palermo.accounts.models import Notice
from palermo.accounts.roles import AgencyType, Role
from palermo.audit.models import AuditEvent
from palermo.cases.models import CaseEvent
from palermo.cases.opening import case_became_child
from palermo.identification.services.decisions import DecisionInput, decision_take
from tests.worker import IMMEDIATE_TASKS

POSITIVE = DecisionInput("positive", ["indicators"], "The indicators of deception are met.")


@pytest.fixture
def region_case(make_case, make_member, make_agency):
    """A case led by a police agency of the North, with its first responder on the team."""
    police = make_agency(AgencyType.POLICE, region="North")
    opener = make_member(Role.FIRST_RESPONDER, agency=police)
    return make_case(team=(opener,))


def team_agencies(case) -> set[int]:
    return set(
        CaseTeamMember.objects.filter(case=case, removed_at__isnull=True).values_list("agency_id", flat=True)
    )


def test_the_agency_of_the_case_s_region_joins_before_a_national_one_and_one_elsewhere(
    region_case, make_agency
):
    make_agency(AgencyType.GUARDIANSHIP, region="South", name="A South guardians")
    national = make_agency(AgencyType.GUARDIANSHIP, region="", name="B National guardians")
    north = make_agency(AgencyType.GUARDIANSHIP, region="north", name="C North guardians")
    assert routed_agency(region_case, AgencyType.GUARDIANSHIP) == north  # the region, in any case
    north.is_active = False
    north.save(update_fields=["is_active"])
    assert routed_agency(region_case, AgencyType.GUARDIANSHIP) == national  # no active one there: national
    national.region = "East"
    national.save(update_fields=["region"])
    assert routed_agency(region_case, AgencyType.GUARDIANSHIP) is None  # only another region's: none


def test_a_routed_join_writes_the_team_the_timeline_naming_the_agency_and_the_audit_record(
    region_case, make_agency, make_member, make_user, settings, django_capture_on_commit_callbacks
):
    settings.TASKS = IMMEDIATE_TASKS
    guardians = make_agency(AgencyType.GUARDIANSHIP, region="North")
    guardian = make_member(Role.GUARDIAN, agency=guardians, user=make_user(email="guardian@example.org"))
    with django_capture_on_commit_callbacks(execute=True):
        joined = case_route(case=region_case, event=RoutingEvent.CHILD)
    assert [entry.agency for entry in joined] == [guardians]
    entry = joined[0]
    assert entry.user is None and entry.added_by is None and entry.is_active
    event = CaseEvent.objects.get(case=region_case, object_type="case_team_member", object_id=str(entry.pk))
    assert guardians.name in event.summary and "child" in event.summary
    assert event.tier == 1 and event.actor is None
    audit = AuditEvent.objects.get(action="case_team.route", object_id=str(entry.pk))
    assert audit.case_id == region_case.pk and audit.actor is None
    # The agency's members are told: the reference and the agency, nothing of the person.
    assert [message.to for message in mail.outbox] == [[guardian.email]]
    assert region_case.reference in mail.outbox[0].subject and guardians.name in mail.outbox[0].body


def test_routing_twice_adds_no_one_twice_and_a_type_on_the_team_is_skipped(region_case, make_agency):
    make_agency(AgencyType.MIGRATION, region="North")
    make_agency(AgencyType.NGO, region="North")
    make_agency(AgencyType.LEGAL_AID, region="")
    first = case_route(case=region_case, event=RoutingEvent.PRESUMED_VICTIM)
    assert sorted(entry.agency.type for entry in first) == ["legal_aid", "migration", "ngo"]
    assert case_route(case=region_case, event=RoutingEvent.PRESUMED_VICTIM) == []
    # Another migration authority of the region does not join: the type is on the team already.
    make_agency(AgencyType.MIGRATION, region="North", name="AAA first by name")
    assert case_route(case=region_case, event=RoutingEvent.IDENTIFIED_VICTIM) == []


def test_no_agency_of_a_type_is_on_the_audit_record_and_nothing_joins(region_case):
    before = team_agencies(region_case)
    assert case_route(case=region_case, event=RoutingEvent.RESIDENCE_APPLICATION) == []
    assert team_agencies(region_case) == before
    audit = AuditEvent.objects.get(action="case_team.route_unmatched", case=region_case)
    assert audit.reason == "residence_application: no active agency of type legal_aid"


def test_the_rulebook_decides_which_types_join(region_case, make_agency, settings, tmp_path):
    text = (settings.RULEBOOK_DIR / "osce-2005.toml").read_text(encoding="utf-8")
    changed = text.replace('residence_application = ["legal_aid"]', 'residence_application = ["ngo"]')
    (tmp_path / "osce-2005.toml").write_text(changed, encoding="utf-8")
    settings.RULEBOOK_DIR = tmp_path
    make_agency(AgencyType.LEGAL_AID, region="North")
    ngo = make_agency(AgencyType.NGO, region="North")
    assert [entry.agency for entry in case_route(case=region_case, event="residence_application")] == [ngo]


def test_a_shelter_joins_with_its_timeline_entry_at_location(region_case, make_agency, settings, tmp_path):
    text = (settings.RULEBOOK_DIR / "osce-2005.toml").read_text(encoding="utf-8")
    (tmp_path / "osce-2005.toml").write_text(text.replace('child = ["guardianship"]', 'child = ["shelter"]'))
    settings.RULEBOOK_DIR = tmp_path
    shelter = make_agency(AgencyType.SHELTER, region="North")
    (entry,) = case_route(case=region_case, event=RoutingEvent.CHILD)
    event = CaseEvent.objects.get(object_type="case_team_member", object_id=str(entry.pk))
    assert shelter.name in event.summary and event.tier == 3  # naming a safe house says where the person is


# --- the events reach the routing through the areas' hooks ---


def test_a_positive_presumed_victim_decision_brings_the_migration_authority_and_an_assistance_provider(
    region_case, make_agency, make_member, django_capture_on_commit_callbacks
):
    migration = make_agency(AgencyType.MIGRATION, region="")
    ngo = make_agency(AgencyType.NGO, region="North")
    make_agency(AgencyType.NGO, region="South")
    authority = make_member(Role.IDENTIFICATION_AUTHORITY, agency=region_case.lead_agency)
    with django_capture_on_commit_callbacks(execute=True):
        decision_take(
            actor=authority, membership=authority.membership, case=region_case, kind="presumed", data=POSITIVE
        )
    assert {migration.pk, ngo.pk} <= team_agencies(region_case)
    assert AuditEvent.objects.filter(action="case_team.route", case=region_case).count() == 2
    # Legal aid has no agency here: said on the record, and the decision stands.
    assert AuditEvent.objects.filter(action="case_team.route_unmatched", case=region_case).exists()


def test_a_negative_decision_routes_no_one(
    region_case, make_agency, make_member, django_capture_on_commit_callbacks
):
    make_agency(AgencyType.MIGRATION, region="")
    authority = make_member(Role.IDENTIFICATION_AUTHORITY, agency=region_case.lead_agency)
    negative = DecisionInput("negative", ["indicators"], "The indicators are not met.")
    before = team_agencies(region_case)
    with django_capture_on_commit_callbacks(execute=True):
        decision_take(
            actor=authority, membership=authority.membership, case=region_case, kind="presumed", data=negative
        )
    assert team_agencies(region_case) == before


def test_routing_that_fails_after_a_decision_is_recorded_and_the_decision_stands(
    region_case, make_member, monkeypatch, django_capture_on_commit_callbacks
):
    def broken(**kwargs: Any) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr("palermo.access.routing.case_route", broken)
    authority = make_member(Role.IDENTIFICATION_AUTHORITY, agency=region_case.lead_agency)
    with django_capture_on_commit_callbacks(execute=True):
        decision = decision_take(
            actor=authority, membership=authority.membership, case=region_case, kind="presumed", data=POSITIVE
        )
    assert decision.pk is not None
    assert AuditEvent.objects.filter(action="case_team.route_failed", case=region_case).exists()


def test_a_case_that_becomes_a_child_s_brings_the_guardianship_service(region_case, make_agency):
    guardians = make_agency(AgencyType.GUARDIANSHIP, region="North")
    case_became_child(region_case)  # an adult's case: the hook routes nothing
    assert guardians.pk not in team_agencies(region_case)
    region_case.is_child = True
    region_case.save(update_fields=["is_child"])
    case_became_child(region_case)
    assert guardians.pk in team_agencies(region_case)


def test_an_application_for_residence_brings_legal_aid(make_case, make_member, make_agency):
    from palermo.residence.services.applications import ApplicationInput, application_lodge

    police = make_agency(AgencyType.POLICE, region="North")
    responder = make_member(Role.FIRST_RESPONDER, agency=police)
    officer = make_member(Role.MIGRATION_OFFICER)
    case = make_case(team=(responder, officer))
    legal = make_agency(AgencyType.LEGAL_AID, region="North")
    application_lodge(
        actor=officer,
        membership=officer.membership,
        case=case,
        data=ApplicationInput(kind="temporary", authority="Migration Directorate"),
    )
    assert legal.pk in team_agencies(case)


def test_a_member_without_an_address_still_reads_the_notice_in_the_app(
    region_case, make_agency, make_member, make_user, settings, django_capture_on_commit_callbacks
):
    settings.TASKS = IMMEDIATE_TASKS
    guardians = make_agency(AgencyType.GUARDIANSHIP, region="North")
    with_address = make_member(Role.GUARDIAN, agency=guardians, user=make_user(email="guardian@example.org"))
    without = make_member(Role.GUARDIAN, agency=guardians, user=make_user(email=""))
    with django_capture_on_commit_callbacks(execute=True):
        case_route(case=region_case, event=RoutingEvent.CHILD)
    assert [message.to for message in mail.outbox] == [[with_address.email]]  # no email to an empty address
    for member in (with_address, without):
        notice = Notice.objects.get(user=member)
        assert notice.reference == region_case.reference
        member.refresh_from_db()
        assert member.unread_notices == 1
