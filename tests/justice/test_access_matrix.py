"""The matrix's `justice` entries, role by role: what each reads and writes of the area, that every page and
endpoint follows them, and the cooperation guard: a file that opens any of it to a residence decider does
not load."""

from __future__ import annotations

import tomllib

import pytest
from django.urls import reverse

from palermo.access.matrix import (
    MATRIX_FILE,
    JusticePart,
    MatrixError,
    justice_reads,
    justice_writes,
    parse_matrix,
)
from palermo.accounts.roles import Role

ALL = frozenset(JusticePart)
P = JusticePart
# The policy, entry by entry (docs/decisions/0034): (reads, writes).
EXPECTED = {
    Role.FIRST_RESPONDER: (frozenset(), frozenset()),
    Role.CASE_MANAGER: (ALL, {P.CHOICES, P.COMPENSATION, P.NON_PUNISHMENT}),
    Role.IDENTIFICATION_AUTHORITY: (frozenset(), frozenset()),
    Role.MIGRATION_OFFICER: (frozenset(), frozenset()),
    Role.INVESTIGATOR: (ALL, {P.PROCEEDINGS, P.COMPENSATION, P.NON_PUNISHMENT}),
    Role.PROTECTION_OFFICER: ({P.RISK, P.PROCEEDINGS}, {P.RISK}),
    Role.GUARDIAN: (ALL, {P.CHOICES, P.COMPENSATION, P.NON_PUNISHMENT}),
    Role.SERVICE_PROVIDER: (ALL - {P.RISK}, {P.CHOICES, P.COMPENSATION, P.NON_PUNISHMENT}),
    Role.RAPPORTEUR: (frozenset(), frozenset()),
    Role.DATA_PROTECTION_OFFICER: (frozenset(), frozenset()),
    Role.SYSTEM_ADMINISTRATOR: (frozenset(), frozenset()),
    Role.AGENCY_ADMINISTRATOR: (frozenset(), frozenset()),
}


@pytest.mark.parametrize("role", list(Role), ids=str)
def test_each_roles_entry(role):
    reads, writes = EXPECTED[role]
    assert justice_reads(role) == frozenset(reads)
    assert justice_writes(role) == frozenset(writes)


def _raw():
    with MATRIX_FILE.open("rb") as handle:
        return tomllib.load(handle)


def test_a_residence_decider_reading_proceedings_does_not_load():
    raw = _raw()
    raw["migration_officer"]["justice"]["read"] = ["proceedings"]
    with pytest.raises(MatrixError, match="residence decider"):
        parse_matrix(raw)


def test_every_role_writes_its_justice_entry_down():
    raw = _raw()
    del raw["guardian"]["justice"]
    with pytest.raises(MatrixError, match=r"guardian\.justice: missing"):
        parse_matrix(raw)


PART_PAGES = {
    P.RISK: "api-justice-risk",
    P.PROCEEDINGS: "api-justice-proceedings",
    P.CHOICES: "api-justice-choices",
    P.COMPENSATION: "api-justice-claims",
    P.NON_PUNISHMENT: "api-justice-offences",
}


@pytest.mark.django_db
@pytest.mark.parametrize(
    "role",
    [
        Role.CASE_MANAGER,
        Role.MIGRATION_OFFICER,
        Role.INVESTIGATOR,
        Role.PROTECTION_OFFICER,
        Role.SERVICE_PROVIDER,
        Role.FIRST_RESPONDER,
        Role.IDENTIFICATION_AUTHORITY,
    ],
    ids=str,
)
def test_the_endpoints_follow_the_entry_on_the_team(role, make_member, make_case, client_for):
    user = make_member(role)
    case = make_case(team=(user,))
    client = client_for(user)
    reads, _writes = EXPECTED[role]
    for part, name in PART_PAGES.items():
        status = client.get(reverse(name, args=[case.reference])).status_code
        assert status == (200 if part in reads else 404), (role, part, status)
    page = client.get(reverse("justice:section", args=[case.reference])).status_code
    assert page == (200 if reads else 404)
