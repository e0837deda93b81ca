"""The linkage demo: near-duplicate persons referred by two agencies, found by the tolerant search and queued
by a run, the likeliest pair merged; loading twice adds nothing."""

from __future__ import annotations

import pytest

from palermo.cases.models import CaseEvent, Person
from palermo.demo.accounts import load_demo_accounts
from palermo.demo.linkage import PAIRS, load_demo
from palermo.linkage.models import Candidate, CandidateStatus, LinkageRun, PersonKey, PersonMerge

pytestmark = pytest.mark.django_db


def test_load_demo_refers_pairs_and_queues_them() -> None:
    load_demo_accounts("demo-password-for-tests")
    load_demo([])
    assert Person.objects.count() == 2 * PAIRS
    assert PersonKey.objects.values("person").distinct().count() == 2 * PAIRS  # keys built by the hook
    assert LinkageRun.objects.get().status == "done"
    assert Candidate.objects.exists()
    # The likeliest pair is merged, on both cases' timelines; the others wait for review.
    merge = PersonMerge.objects.select_related("candidate", "kept__case", "merged__case").get()
    assert merge.candidate.probability == max(Candidate.objects.values_list("probability", flat=True))
    for case in (merge.kept.case, merge.merged.case):
        assert CaseEvent.objects.filter(case=case, summary__icontains="same person").exists()
    assert Candidate.objects.filter(status=CandidateStatus.PENDING).exists()
    load_demo([])
    assert Person.objects.count() == 2 * PAIRS
    assert PersonMerge.objects.count() == 1
