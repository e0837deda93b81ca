"""The demo shows the returns area in use: returns at different stages, a resettlement, a package sent and
one waiting in the inbox; seeding again adds nothing."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from palermo.origin.models import Citation
from palermo.returns.citing import RETURN_KIND
from palermo.returns.models import (
    PackageDirection,
    PartnerKey,
    Resettlement,
    ReturnFollowUp,
    ReturnStatus,
    TransnationalPackage,
    VoluntaryReturn,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _demo_var_dir(settings, tmp_path):
    settings.VAR_DIR = tmp_path


def counts() -> tuple[int, ...]:
    return (
        VoluntaryReturn.objects.count(),
        Resettlement.objects.count(),
        TransnationalPackage.objects.count(),
        PartnerKey.objects.count(),
    )


def test_demo_returns_at_different_stages():
    call_command("seed_demo", stdout=io.StringIO())
    statuses = set(VoluntaryReturn.objects.values_list("status", flat=True))
    assert {ReturnStatus.REQUESTED, ReturnStatus.CLEARED, ReturnStatus.RETURNED} <= statuses
    # The return made today has its follow-up contacts booked.
    returned = VoluntaryReturn.objects.get(status=ReturnStatus.RETURNED)
    assert ReturnFollowUp.objects.filter(voluntary_return=returned, contacted_on__isnull=True).exists()
    assert Resettlement.objects.exists()
    # A child's case has a return too, accompanied, with the guardian's view (decision 0050).
    child = VoluntaryReturn.objects.filter(case__is_child=True).first()
    assert child is not None and child.escort_role == "social_worker" and child.guardian_view
    returns = list(VoluntaryReturn.objects.values_list("pk", flat=True))
    assert Citation.objects.filter(decision_kind=RETURN_KIND, decision_id__in=returns).exists()
    directions = set(TransnationalPackage.objects.values_list("direction", flat=True))
    assert directions == {PackageDirection.SENT, PackageDirection.RECEIVED}
    first = counts()
    call_command("seed_demo", stdout=io.StringIO())
    assert counts() == first
