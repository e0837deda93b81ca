"""The matrix file says what the domain brief asks, and the loader refuses a file that is not a complete,
consistent policy."""

from __future__ import annotations

import copy
import tomllib

import pytest

from palermo.access.matrix import (
    MATRIX_FILE,
    MatrixError,
    Relation,
    TeamManagement,
    break_glass_roles,
    entry,
    parse_matrix,
    reads,
    team_managing_roles,
    writes,
)
from palermo.access.tiers import Tier
from palermo.accounts.roles import Role

T0, T1, T2, T3, T4 = Tier
CASE_WORKING = [
    Role.FIRST_RESPONDER,
    Role.CASE_MANAGER,
    Role.IDENTIFICATION_AUTHORITY,
    Role.MIGRATION_OFFICER,
    Role.INVESTIGATOR,
    Role.PROTECTION_OFFICER,
    Role.GUARDIAN,
    Role.SERVICE_PROVIDER,
]


def raw() -> dict:
    with MATRIX_FILE.open("rb") as handle:
        return tomllib.load(handle)


# --- the brief's defaults ---


@pytest.mark.parametrize("relation", list(Relation), ids=str)
def test_the_rapporteur_sees_aggregates_only_everywhere(relation):
    assert reads(Role.RAPPORTEUR, relation) == {T0}
    assert writes(Role.RAPPORTEUR, relation) == set()


@pytest.mark.parametrize("relation", list(Relation), ids=str)
def test_the_system_administrator_sees_no_case_content_not_even_metadata(relation):
    assert reads(Role.SYSTEM_ADMINISTRATOR, relation) == set()


def test_the_data_protection_officer_sees_metadata_and_more_only_through_break_glass():
    for relation in (Relation.TEAM, Relation.SAME_AGENCY):
        assert reads(Role.DATA_PROTECTION_OFFICER, relation) == {T0, T1}
    assert reads(Role.DATA_PROTECTION_OFFICER, Relation.BREAK_GLASS) - {T0} == {T1, T2, T4}
    assert all(not writes(Role.DATA_PROTECTION_OFFICER, relation) for relation in Relation)


@pytest.mark.parametrize(
    ("role", "tiers"),
    [
        (Role.GUARDIAN, {T1, T2, T3, T4}),
        (Role.FIRST_RESPONDER, {T1, T2, T3, T4}),
        (Role.CASE_MANAGER, {T1, T2, T3, T4}),
        (Role.IDENTIFICATION_AUTHORITY, {T1, T2, T4}),
        (Role.MIGRATION_OFFICER, {T1, T2}),
        (Role.INVESTIGATOR, {T1, T2, T4}),
        (Role.PROTECTION_OFFICER, {T1, T2, T3}),
        (Role.SERVICE_PROVIDER, {T1, T2}),
    ],
    ids=str,
)
def test_team_members_see_what_their_role_needs(role, tiers):
    assert reads(role, Relation.TEAM) - {T0} == tiers


def test_a_migration_officer_never_learns_location_or_narrative():
    for relation in (Relation.TEAM, Relation.SAME_AGENCY, Relation.OTHER_AGENCY):
        assert not reads(Role.MIGRATION_OFFICER, relation) & {T3, T4}


@pytest.mark.parametrize("role", CASE_WORKING, ids=str)
def test_case_working_roles_same_agency_metadata_other_agency_nothing(role):
    assert reads(role, Relation.SAME_AGENCY) - {T0} == {T1}
    assert reads(role, Relation.OTHER_AGENCY) == set()


@pytest.mark.parametrize(
    ("role", "tiers"),
    [
        (Role.FIRST_RESPONDER, {T1, T2, T4}),
        (Role.CASE_MANAGER, {T1, T2, T4}),
        (Role.IDENTIFICATION_AUTHORITY, {T1, T2, T4}),
        (Role.MIGRATION_OFFICER, {T1, T2}),
        (Role.INVESTIGATOR, {T1, T2, T4}),
        (Role.PROTECTION_OFFICER, {T1, T2, T3}),
        (Role.GUARDIAN, {T1, T2, T4}),
        (Role.SERVICE_PROVIDER, {T1, T2}),
        (Role.DATA_PROTECTION_OFFICER, {T1, T2, T4}),
    ],
    ids=str,
)
def test_an_emergency_opens_what_the_roles_duty_needs(role, tiers):
    assert reads(role, Relation.BREAK_GLASS) - {T0} == tiers
    assert writes(role, Relation.BREAK_GLASS) == set()


@pytest.mark.parametrize("role", list(Role), ids=str)
def test_no_role_but_the_protection_officer_learns_location_through_an_emergency(role):
    assert (T3 in reads(role, Relation.BREAK_GLASS)) == (role == Role.PROTECTION_OFFICER)


@pytest.mark.parametrize("role", [Role.SERVICE_PROVIDER, Role.MIGRATION_OFFICER, Role.INVESTIGATOR], ids=str)
def test_some_roles_read_nothing_in_an_emergency_beyond_their_team_membership(role):
    assert reads(role, Relation.BREAK_GLASS) <= reads(role, Relation.TEAM)


def test_the_loader_refuses_location_through_an_emergency_for_any_other_role():
    message = broken(lambda d: d["case_manager"]["break_glass"]["read"].append("T3"))
    assert "case_manager.break_glass: location (T3) in an emergency is the protection officer's" in message


@pytest.mark.parametrize("role", ["service_provider", "migration_officer", "investigator"])
def test_the_loader_refuses_an_emergency_wider_than_the_team_for_those_roles(role):
    def widen(data):
        data[role]["break_glass"]["read"] = ["T0", "T1", "T2", "T4"]
        data[role]["team"]["read"] = ["T0", "T1"]
        data[role]["team"]["write"] = ["T1"]

    assert f"{role}.break_glass: reads" in broken(widen)
    assert "that its team membership would not give" in broken(widen)


def test_the_loader_refuses_an_emergency_that_writes():
    def writing(data):
        data["guardian"]["break_glass"]["write"] = ["T1"]

    assert "guardian.break_glass: an emergency is read, never written" in broken(writing)


def test_break_glass_is_never_for_the_rapporteur_or_the_system_administrator():
    assert Role.RAPPORTEUR not in break_glass_roles()
    assert Role.SYSTEM_ADMINISTRATOR not in break_glass_roles()
    assert set(CASE_WORKING) <= break_glass_roles()


def test_only_case_managers_identification_authorities_and_the_opener_manage_the_team():
    assert team_managing_roles() == {Role.CASE_MANAGER, Role.IDENTIFICATION_AUTHORITY, Role.FIRST_RESPONDER}
    assert entry(Role.FIRST_RESPONDER, Relation.TEAM).manage_team == TeamManagement.IF_OPENED_CASE


@pytest.mark.parametrize("role", list(Role), ids=str)
@pytest.mark.parametrize("relation", list(Relation), ids=str)
def test_every_entry_gives_its_reason(role, relation):
    assert len(entry(role, relation).why) > 10


# --- the loader refuses a broken policy ---


def broken(change) -> str:
    data = copy.deepcopy(raw())
    change(data)
    with pytest.raises(MatrixError) as error:
        parse_matrix(data)
    return str(error.value)


def test_the_shipped_file_parses():
    assert set(parse_matrix(raw())) == set(Role)


def test_a_missing_role_is_refused():
    assert "guardian: missing" in broken(lambda d: d.pop("guardian"))


def test_a_missing_relation_is_refused():
    assert "case_manager.break_glass: missing" in broken(lambda d: d["case_manager"].pop("break_glass"))


def test_an_unknown_role_or_key_is_refused():
    message = broken(lambda d: d.update(janitor={}) or d["guardian"]["team"].update(reed=["T1"]))
    assert "janitor: not a role" in message
    assert "guardian.team: unknown key 'reed'" in message


def test_an_unknown_tier_is_refused():
    assert "'T5' is not a tier" in broken(lambda d: d["guardian"]["team"].update(read=["T0", "T5"]))


def test_writing_what_may_not_be_read_is_refused():
    message = broken(lambda d: d["migration_officer"]["team"].update(write=["T1", "T3"]))
    assert "writes ['T3'] it may not read" in message


def test_managing_the_team_from_outside_it_is_refused():
    message = broken(lambda d: d["case_manager"]["same_agency"].update(manage_team="yes"))
    assert "only team members may manage the team" in message


def test_an_entry_without_a_reason_is_refused():
    assert "give the reason" in broken(lambda d: d["guardian"]["team"].update(why=" "))
