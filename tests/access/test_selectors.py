"""Reading cases through the policy: one query for any number of cases, missing and forbidden alike, and
only the fields a reader's tiers allow."""

from __future__ import annotations

import pytest
from django.http import Http404

from palermo.access import policy
from palermo.access.redaction import HIDDEN, hidden_fields, redacted_values, visible_fields
from palermo.access.selectors import case_for, cases_visible_to
from palermo.access.tiers import Tier
from palermo.accounts.models import Membership
from palermo.accounts.roles import Role
from palermo.audit.models import AuditEvent
from palermo.cases.models import Case, Person
from tests.access.conftest import grant_row, membership_of, team_row

pytestmark = pytest.mark.django_db


def fresh(user) -> Membership:
    """The membership as a request loads it (palermo.accounts: with its agency)."""
    return Membership.objects.select_related("agency").get(pk=membership_of(user).pk)


def make_cases(n, make_case, membership, make_agency):
    """n cases of each kind the membership may see (team, own agency's, emergency) and n it may not."""
    for _ in range(n):
        team_row(make_case(), membership.agency)
        make_case(membership.agency)
        grant_row(make_case(), membership)
        make_case()


@pytest.mark.parametrize("n", [1, 12])
def test_cases_visible_to_is_one_query_and_the_policy_then_asks_nothing(
    n, make_case, make_agency, member, django_assert_num_queries
):
    membership = fresh(member(Role.CASE_MANAGER))
    make_cases(n, make_case, membership, make_agency)
    with django_assert_num_queries(1):
        cases = list(cases_visible_to(membership))
        tiers = [policy.tiers_allowed(membership, case) for case in cases]
    assert len(cases) == 3 * n
    # Team cases show T0-T4; emergency ones T0-T2 and T4 (location is the protection officer's); the
    # agency's other cases T0-T1.
    assert sorted(len(t) for t in tiers) == [2] * n + [4] * n + [5] * n


def test_a_forbidden_case_and_a_missing_one_answer_alike(make_case, member):
    membership = fresh(member(Role.INVESTIGATOR))
    elsewhere = make_case()
    answers = []
    for reference in (elsewhere.reference, "NRM-0000-0000"):
        with pytest.raises(Http404) as raised:
            case_for(membership, reference, Tier.METADATA)
        answers.append((type(raised.value), raised.value.args))
    assert answers[0] == answers[1]
    assert not AuditEvent.objects.filter(action__startswith="case.read").exists()


def test_a_case_visible_at_one_tier_is_missing_at_another(make_case, member):
    officer = member(Role.MIGRATION_OFFICER)
    case = make_case()
    team_row(case, membership_of(officer).agency)
    assert case_for(fresh(officer), case.reference, Tier.IDENTITY).pk == case.pk
    with pytest.raises(Http404):
        case_for(fresh(officer), case.reference, Tier.LOCATION)


def test_case_for_records_t2_reads_with_the_reason_and_not_t1(make_case, member):
    manager = member(Role.CASE_MANAGER)
    case = make_case()
    team_row(case, membership_of(manager).agency)
    case_for(fresh(manager), case.reference, Tier.METADATA)
    assert not AuditEvent.objects.filter(action="case.read").exists()
    case_for(fresh(manager), case.reference, Tier.NARRATIVE, reason="assistance plan review")
    event = AuditEvent.objects.get(action="case.read")
    assert (event.actor_id, event.case_id, event.tier, event.reason, event.role) == (
        manager.pk,
        case.pk,
        4,
        "assistance plan review",
        Role.CASE_MANAGER,
    )


def test_an_inactive_membership_or_agency_sees_nothing(make_case, member):
    manager = member(Role.CASE_MANAGER)
    case = make_case(membership_of(manager).agency)
    team_row(case, membership_of(manager).agency)
    membership = fresh(manager)
    membership.agency.is_active = False
    assert not cases_visible_to(membership).exists()
    assert policy.relation_of(membership, case) is None
    membership = fresh(manager)
    membership.is_active = False
    assert policy.tiers_allowed(membership, case) == frozenset()
    assert policy.tiers_allowed(None, case) == frozenset()
    with pytest.raises(Http404):
        case_for(membership, case.reference, Tier.METADATA)


# --- redaction ---


def test_fields_are_shown_by_their_tier_and_untagged_fields_are_metadata():
    shown = visible_fields(Person, {Tier.METADATA, Tier.IDENTITY})
    assert {"given_names", "birth_date", "phone", "gender", "age_group", "case"} <= set(shown)
    assert {"current_address", "note"} <= set(hidden_fields(Person, {Tier.METADATA, Tier.IDENTITY}))
    assert "current_address" in visible_fields(Person, {Tier.LOCATION})
    assert "gender" not in visible_fields(Person, {Tier.LOCATION})


def test_hidden_values_are_not_even_decrypted(make_case):
    person = Person(case=make_case(), given_names="Mira", current_address="12 Hidden Lane", note="told")
    person.save()
    loaded = Person.objects.get(pk=person.pk)
    values = redacted_values(loaded, {Tier.METADATA, Tier.IDENTITY})
    assert values["given_names"] == "Mira"
    assert values["current_address"] is HIDDEN and values["note"] is HIDDEN
    assert type(loaded.__dict__["current_address"]).__name__ == "Sealed", "still sealed: never opened"


def test_a_migration_officer_gets_identity_not_location_of_a_person(make_case, member):
    officer = member(Role.MIGRATION_OFFICER)
    case = make_case()
    team_row(case, membership_of(officer).agency)
    person = Person(case=case, given_names="Lin", current_address="somewhere safe")
    person.save()
    tiers = policy.tiers_allowed(fresh(officer), Case.objects.get(pk=case.pk))
    values = redacted_values(Person.objects.get(pk=person.pk), tiers)
    assert values["given_names"] == "Lin" and values["current_address"] is HIDDEN
