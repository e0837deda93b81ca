"""kill -9 in the middle of a statistics release (issue 21, faults): the release is one transaction, so a kill
at any point before its commit leaves no release, no spend on the privacy-loss ledger, no ledger year and no
audit event, releases no lock, and the same release can be made again at once, spending its epsilon once."""

from __future__ import annotations

import datetime
import textwrap

import pytest

from palermo.accounts.roles import Role
from palermo.audit.models import AuditEvent
from palermo.audit.verify import verify_chain
from palermo.statistics.models import LedgerYear, PrivacySpend, Release
from palermo.statistics.publication import Parameters
from palermo.statistics.services import release_publish, spent_in
from tests.operations.test_kill_mid_write import STALL, killed_half_way
from tests.statistics.statistics_data import populate

pytestmark = [pytest.mark.workers, pytest.mark.django_db(transaction=True)]

RELEASE = textwrap.dedent("""
    import datetime
    from palermo.accounts.models import Membership
    from palermo.statistics.publication import Parameters
    membership = Membership.objects.select_related("user").get(pk=int(sys.argv[1]))
    target.release_publish(
        actor=membership.user, membership=membership, title="Annual",
        parameters=Parameters(
            snapshot=datetime.date(2026, 1, 1), tables=("referred-sex", "referred-group"), threshold=11,
            mechanism="laplace", epsilon=1.0, years=(2024, 2025),
        ),
    )
""")


@pytest.mark.parametrize(
    "step",
    [
        "spent_in",  # the ledger's years created and locked, the budget being read
        "audit_on_record",  # the release, its cells, its spends and its audit event written: not committed
    ],
)
def test_a_release_killed_half_way_leaves_nothing_and_can_be_made_again(make_member, step):
    populate(30)
    rapporteur = make_member(Role.RAPPORTEUR)
    script = STALL.format(module="palermo.statistics.services", step=step, after=1) + RELEASE
    killed_half_way(script, str(rapporteur.membership.pk))

    assert not Release.objects.exists() and not PrivacySpend.objects.exists()
    assert not LedgerYear.objects.exists()
    assert not AuditEvent.objects.filter(action="statistics.release").exists()
    assert spent_in(2024) == 0.0

    release = release_publish(  # the years' locks went with the killed connection: this does not wait
        actor=rapporteur,
        membership=rapporteur.membership,
        title="Annual",
        parameters=Parameters(
            snapshot=datetime.date(2026, 1, 1),
            tables=("referred-sex", "referred-group"),
            threshold=11,
            mechanism="laplace",
            epsilon=1.0,
            years=(2024, 2025),
        ),
    )
    assert release.cells and Release.objects.count() == 1
    assert sorted(PrivacySpend.objects.values_list("year", "epsilon")) == [(2024, 1.0), (2025, 1.0)]
    assert spent_in(2024) == spent_in(2025) == 1.0
    assert AuditEvent.objects.filter(action="statistics.release", object_id=str(release.pk)).count() == 1
    assert verify_chain().intact
