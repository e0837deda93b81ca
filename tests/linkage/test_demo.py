"""The linkage demo: near-duplicate persons referred by two agencies, found by the tolerant search and queued
by a run; loading twice adds nothing."""

from __future__ import annotations

import pytest

from palermo.cases.models import Person
from palermo.demo.accounts import load_demo_accounts
from palermo.demo.linkage import PAIRS, load_demo
from palermo.linkage.models import Candidate, LinkageRun, PersonKey

pytestmark = pytest.mark.django_db


def test_load_demo_refers_pairs_and_queues_them() -> None:
    load_demo_accounts("demo-password-for-tests")
    load_demo([])
    assert Person.objects.count() == 2 * PAIRS
    assert PersonKey.objects.values("person").distinct().count() == 2 * PAIRS  # keys built by the hook
    assert LinkageRun.objects.get().status == "done"
    assert Candidate.objects.exists()
    load_demo([])
    assert Person.objects.count() == 2 * PAIRS
