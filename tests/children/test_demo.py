"""The children demo: guardians appointed, determinations and care recorded, and nothing added twice."""

from __future__ import annotations

import pytest

from palermo.cases.models import Case, Phase
from palermo.children.models import BestInterestProcedure, CareArrangement, Guardianship
from palermo.demo.accounts import demo_password, load_demo_accounts
from palermo.demo.cases import load_demo_cases
from palermo.demo.children import load_demo

pytestmark = pytest.mark.django_db


def test_the_demo_protects_the_demo_children_once():
    load_demo_accounts(demo_password())
    load_demo_cases(30)
    cases = list(Case.objects.order_by("pk"))
    load_demo(cases)
    counts = (
        Guardianship.objects.count(),
        BestInterestProcedure.objects.count(),
        CareArrangement.objects.count(),
    )
    # A closed case stays as it was closed (palermo.access.closure): the demo adds nothing to one.
    children = [case for case in cases if case.is_child and case.phase != Phase.CLOSED]
    assert children, "the synthetic demo has children"
    assert counts[0] == len(children) and counts[1] > 0 and counts[2] == counts[1]
    load_demo(cases)
    again = (
        Guardianship.objects.count(),
        BestInterestProcedure.objects.count(),
        CareArrangement.objects.count(),
    )
    assert again == counts
