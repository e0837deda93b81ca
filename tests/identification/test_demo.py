"""The identification demo: deadlines for every case, the presumed victim decision for cases past
identification, and nothing new on a second run."""

from __future__ import annotations

import pytest

from palermo.accounts.roles import Role
from palermo.cases.models import Phase
from palermo.deadlines.models import Deadline
from palermo.demo.identification import DEMO_AUTHORITY, load_demo
from palermo.identification.deadlines import IDENTIFIED_KIND, PRESUMED_KIND
from palermo.identification.models import IdentificationDecision

pytestmark = pytest.mark.django_db


def test_the_demo_is_idempotent(make_member, make_case, responder):
    authority = make_member(Role.IDENTIFICATION_AUTHORITY)
    authority.username = DEMO_AUTHORITY
    authority.save(update_fields=["username"])
    fresh = make_case(team=(responder, authority))
    past = make_case(team=(responder, authority), phase=Phase.REFLECTION, is_child=True)

    load_demo([fresh, past])
    load_demo([fresh, past])

    assert list(IdentificationDecision.objects.values_list("case_id", flat=True)) == [past.pk]
    assert set(Deadline.objects.filter(case=fresh).values_list("kind", "done_at")) == {(PRESUMED_KIND, None)}
    kinds = dict(Deadline.objects.filter(case=past).values_list("kind", "done_at"))
    assert kinds[PRESUMED_KIND] is not None and kinds[IDENTIFIED_KIND] is None
    assert Deadline.objects.count() == 3
