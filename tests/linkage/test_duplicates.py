"""Duplicate detection: a run finds near-duplicate persons across agencies' cases and queues them; the
identification authority merges (both timelines, the audit log, nothing changed) and unmerges (exactly what
was there)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied

from palermo.accounts.models import User
from palermo.accounts.roles import Role
from palermo.audit.models import AuditEvent
from palermo.cases.models import CaseEvent, Person
from palermo.linkage.models import Candidate, CandidateStatus, LinkageRun, PersonMerge, RunStatus
from palermo.linkage.services.duplicates import (
    candidate_reject,
    linkage_run_execute,
    person_merge,
    person_unmerge,
)
from tests.factories import AgencyFactory, CaseFactory, PersonaFactory, typical_agency_type
from tests.linkage.conftest import person_on
from tests.linkage.synthetic import population
from tests.module_data import fast_passwords, kept_for_the_module

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def linkage_world(django_db_setup: None, django_db_blocker: Any) -> Iterator[tuple[int, int]]:
    """60 synthetic pairs of near-duplicate persons, each on a case of an identification authority's team,
    and a run over them: built once for the module (tests/module_data.py: what a test merges, rejects or
    runs again is rolled back after it)."""
    with kept_for_the_module(django_db_blocker):
        with django_db_blocker.unblock(), fast_passwords():
            agency = AgencyFactory(type=typical_agency_type(Role.IDENTIFICATION_AUTHORITY))
            authority = PersonaFactory(
                role=Role.IDENTIFICATION_AUTHORITY, agency=agency, user=None, two_factor=True
            )
            for left, right in population(60, seed=7):
                for record in (left, right):
                    person_on(
                        CaseFactory(team=(authority,)),
                        record.given,
                        record.family,
                        born=record.born,
                        precision=record.precision,
                    )
            run = linkage_run_execute(LinkageRun.objects.create(started_by=authority).pk, threshold=0.5)
        yield run.pk, authority.pk


@pytest.fixture
def authority(linkage_world: tuple[int, int], db: None) -> User:
    """The identification authority whose cases the persons are on."""
    return User.objects.get(pk=linkage_world[1])


@pytest.fixture
def run_with_pairs(linkage_world: tuple[int, int], db: None) -> LinkageRun:
    return LinkageRun.objects.get(pk=linkage_world[0])


def test_a_run_finds_the_near_duplicates(run_with_pairs: LinkageRun) -> None:
    assert run_with_pairs.status == RunStatus.DONE and run_with_pairs.progress == 100
    assert run_with_pairs.persons == 120
    pairs = set(Candidate.objects.values_list("left_id", "right_id"))
    truth = {(pk, pk + 1) for pk in Person.objects.order_by("pk").values_list("pk", flat=True)[::2]}
    found = len(pairs & truth)
    assert found / len(truth) >= 0.8
    assert found / len(pairs) >= 0.8


def test_merge_and_unmerge(run_with_pairs: LinkageRun, authority) -> None:
    membership = authority.memberships.get()
    candidate = Candidate.objects.select_related("left__case", "right__case").first()
    before = {
        person.pk: (person.given_names, person.family_names, person.birth_date, person.case_id)
        for person in Person.objects.filter(pk__in=[candidate.left_id, candidate.right_id])
    }
    merge = person_merge(actor=authority, membership=membership, candidate=candidate, expected_version=1)
    candidate.refresh_from_db()
    assert candidate.status == CandidateStatus.MERGED
    for case in (candidate.left.case, candidate.right.case):
        assert CaseEvent.objects.filter(case=case, object_type="person_merge").count() == 1
    assert AuditEvent.objects.filter(action="linkage.merge").count() == 2
    person_unmerge(actor=authority, membership=membership, merge=merge)
    merge.refresh_from_db()
    candidate.refresh_from_db()
    assert merge.undone_at is not None and candidate.status == CandidateStatus.PENDING
    after = {
        person.pk: (person.given_names, person.family_names, person.birth_date, person.case_id)
        for person in Person.objects.filter(pk__in=[candidate.left_id, candidate.right_id])
    }
    assert after == before
    assert not PersonMerge.objects.filter(undone_at__isnull=True).exists()
    assert AuditEvent.objects.filter(action="linkage.unmerge").count() == 2


def test_reject_and_who_may(run_with_pairs: LinkageRun, authority, manager) -> None:
    candidate = Candidate.objects.select_related("left__case", "right__case").first()
    with pytest.raises(PermissionDenied):
        candidate_reject(
            actor=manager, membership=manager.memberships.get(), candidate=candidate, expected_version=1
        )
    decided = candidate_reject(
        actor=authority, membership=authority.memberships.get(), candidate=candidate, expected_version=1
    )
    assert decided.status == CandidateStatus.DISTINCT


def test_new_run_keeps_decisions(run_with_pairs: LinkageRun, authority) -> None:
    before = Candidate.objects.count()
    again = linkage_run_execute(LinkageRun.objects.create(started_by=authority).pk, threshold=0.5)
    assert again.candidates == 0 and Candidate.objects.count() == before
