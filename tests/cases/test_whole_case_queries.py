"""Issue 13: the whole case on one page in at most 25 queries, whatever the case holds and however many
records of each kind (decision 0015: every section's reads in one statement, one more per level of
their sub-lists).

The case is the fullest of the demo's cases (the demo writes them through the same services as real work: a
child's case with its guardian, best-interest determination and care, identification decisions, a reflection
period with its entitlements, residence applications, an assistance plan with referrals), grown further here.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from palermo.access.selectors import cases_visible_to
from palermo.accounts.models import Membership
from palermo.cases.facts import note_present_kinds
from palermo.cases.models import Case, ConsentGiver, ConsentPurpose
from palermo.cases.services.consent import consent_record
from palermo.cases.services.notes import case_note_add
from palermo.children.services.tracing import tracing_request
from palermo.demo.accounts import load_demo_accounts
from palermo.demo.areas import load_demo_history
from tests.module_data import fast_passwords, kept_for_the_module
from tests.queries import Queries, assert_same_queries

WHOLE_CASE_QUERIES = 25

# The kinds of record the fullest case must hold for the count to mean something.
EXPECTED_KINDS = {
    "cases.person",
    "cases.consent",
    "children.guardianship",
    "children.bestinterestprocedure",
    "children.carearrangement",
    "identification.identificationdecision",
    "reflection.reflectionperiod",
    "residence.application",
    "assistance.assistanceplan",
    "assistance.referral",
}


def kinds_of(case: Case) -> frozenset[str]:
    fresh = Case.objects.get(pk=case.pk)
    note_present_kinds(fresh)
    return fresh._palermo_present_kinds  # type: ignore[attr-defined,no-any-return]


@pytest.fixture(scope="module")
def demo_world(
    django_db_setup: None, django_db_blocker: Any, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[None]:
    """The demo's accounts and cases, with every area's records, built once for the module's tests
    (tests/module_data.py: each test's changes are rolled back after it)."""
    # Before any test's own document store (tests/conftest.py): the demo's documents go to a store of the
    # module's, never to the checkout's var/.
    store = override_settings(DOCUMENT_STORE=tmp_path_factory.mktemp("demo-documents"))
    with kept_for_the_module(django_db_blocker), store:
        with django_db_blocker.unblock(), fast_passwords():
            load_demo_accounts("demo-password-for-tests")
            load_demo_history(40)
        yield


@pytest.fixture
def demo_manager(demo_world: None, db: None) -> Membership:
    return Membership.objects.select_related("user", "agency").get(user__username="demo.casemanager")


def grow(case: Case, manager: Membership, count: int) -> None:
    """`count` more records of several kinds: notes, consents, tracing requests."""
    for number in range(count):
        case_note_add(actor=manager.user, membership=manager, case=case, body=f"note {number}", tier=4)
        consent_record(
            actor=manager.user,
            membership=manager,
            case=case,
            purpose=ConsentPurpose.STATISTICS,
            given_by=ConsentGiver.GUARDIAN if case.is_child else ConsentGiver.PERSON,
            language="eng",
        )
        if case.is_child:
            tracing_request(
                actor=manager.user,
                membership=manager,
                case=case,
                requested_on=timezone.localdate(),
                details="Synthetic test record: parents.",
            )


def test_the_fullest_case_costs_at_most_25_queries_however_many_records(client_for, demo_manager):
    client = client_for(demo_manager.user)
    shown = cases_visible_to(demo_manager).order_by("pk")
    fullest = max(shown, key=lambda case: (case.is_child, len(kinds_of(case))))
    assert fullest.is_child and kinds_of(fullest) >= EXPECTED_KINDS, sorted(kinds_of(fullest))
    url = reverse("cases:detail_full", args=[fullest.reference])
    with Queries() as one:
        assert client.get(url).status_code == 200
    grow(fullest, demo_manager, 4)
    with Queries() as five:
        response = client.get(url)
    assert response.status_code == 200
    assert "Synthetic test record: parents." in response.content.decode()
    assert_same_queries(one, five)
    assert len(five) <= WHOLE_CASE_QUERIES, five.listing()


def test_every_case_costs_at_most_25_queries_whatever_it_holds(client_for, demo_manager):
    """An empty kind costs no query, a full one no more than the others: every demo case within the bound."""
    client = client_for(demo_manager.user)
    counts = set()
    for case in Case.objects.order_by("pk")[:15]:
        url = reverse("cases:detail_full", args=[case.reference])
        with Queries() as page:
            status = client.get(url).status_code
        if status == 200:
            counts.add(len(page))
    assert counts and max(counts) <= WHOLE_CASE_QUERIES, counts


def test_the_children_sections_kinds_name_the_models_their_reads_read():
    from palermo.children.selectors import SECTION_MODELS, SECTION_RECORDS

    case = Case(pk=1)
    assert {kind: read(case).model for kind, read in SECTION_RECORDS.items()} == SECTION_MODELS
