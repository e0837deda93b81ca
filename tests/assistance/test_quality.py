"""Quality of services: per provider response time, acceptance rate, services completed and the persons'
ratings, as aggregates only (T0), for the rapporteur and case managers."""

from __future__ import annotations

import datetime
import re

import pytest
from django.urls import reverse

from palermo.accounts.roles import Role
from palermo.assistance.models import DeclineReason, Referral
from palermo.assistance.quality import provider_quality
from palermo.assistance.services.referrals import (
    referral_accept,
    referral_complete,
    referral_decline,
    referral_feedback,
    referral_send,
)
from tests.assistance.conftest import consent_to, current

pytestmark = pytest.mark.django_db


@pytest.fixture
def history(manager, lawyer, case, legal):
    """Three referrals to the lawyers: one answered after 2 days and completed (rated 4), one declined after
    4 days, one waiting."""
    consent_to(manager, case, legal.agency)
    sent = [
        referral_send(actor=manager, membership=manager.membership, case=case, service=legal)
        for _ in range(3)
    ]
    start = sent[0].sent_at
    Referral.objects.filter(pk__in=[r.pk for r in sent]).update(sent_at=start - datetime.timedelta(days=10))
    done, declined, _waiting = (Referral.objects.get(pk=r.pk) for r in sent)
    referral_accept(actor=lawyer, membership=lawyer.membership, referral=done, expected_version=current(done))
    referral_complete(
        actor=lawyer,
        membership=lawyer.membership,
        referral=done,
        service_given="advice",
        expected_version=current(done),
    )
    referral_feedback(
        actor=manager,
        membership=manager.membership,
        referral=done,
        rating=4,
        note="helpful",
        expected_version=current(done),
    )
    referral_decline(
        actor=lawyer,
        membership=lawyer.membership,
        referral=declined,
        reason=DeclineReason.NO_CAPACITY,
        expected_version=current(declined),
    )
    Referral.objects.filter(pk=done.pk).update(responded_at=start - datetime.timedelta(days=8))
    Referral.objects.filter(pk=declined.pk).update(responded_at=start - datetime.timedelta(days=6))
    return legal.agency


def test_aggregates_per_provider(history):
    (row,) = provider_quality()
    assert row.provider == history.name
    assert (row.referrals, row.waiting, row.answered, row.accepted, row.declined, row.completed) == (
        3,
        1,
        2,
        1,
        1,
        1,
    )
    assert row.acceptance_rate == 0.5
    assert row.average_response == datetime.timedelta(days=3)
    assert row.average_rating == 4.0 and row.ratings == 1


def test_the_rapporteur_sees_aggregates_and_no_case_data(history, case, make_member, client_for, settings):
    settings.PALERMO_MINIMUM_CELL = 1  # the one rating may be shown here; withholding is tested below
    rapporteur = make_member(Role.RAPPORTEUR)
    client = client_for(rapporteur)
    page = client.get(reverse("assistance:quality")).content.decode()
    assert history.name in page and "50 %" in page and "3.0" in page
    assert case.reference not in page and "helpful" not in page and "advice" not in page
    api = client.get(reverse("api-assistance-quality")).json()
    assert api[0]["completed"] == 1 and api[0]["acceptance_rate"] == 0.5
    assert case.reference not in str(api)
    # The rapporteur has no case screens, and no directory of referrals.
    assert client.get(reverse("assistance:case", args=[case.reference])).status_code == 404
    assert client.get(reverse("assistance:provider_inbox")).status_code == 404


FIGURES = ("referrals", "waiting", "average_response_days", "acceptance_rate", "completed", "average_rating")


def page_cells(client) -> dict[str, str]:
    """The provider's row on the quality page, column by column, whitespace folded."""
    page = client.get(reverse("assistance:quality")).content.decode()
    row = page[page.index("<tbody>") : page.index("</tbody>")]
    cells = [" ".join(cell.split()) for cell in re.findall(r"<td>(.*?)</td>", row, re.S)]
    return dict(zip(FIGURES, cells, strict=True))


def test_counts_and_figures_from_too_few_are_withheld_on_the_page_and_in_the_api(
    history, make_member, client_for, settings
):
    # 3 referrals: 1 waiting, 2 answered (1 accepted and completed and rated, 1 declined).
    settings.PALERMO_MINIMUM_CELL = 2
    client = client_for(make_member(Role.RAPPORTEUR))
    withheld = "withheld: fewer than 2"
    assert page_cells(client) == {
        "referrals": "3",
        "waiting": withheld,
        "average_response_days": "3.0",  # from the 2 answered
        "acceptance_rate": withheld,  # 1 accepted out of 2: shown, it would give back the 1
        "completed": withheld,
        "average_rating": withheld,
    }
    (api,) = client.get(reverse("api-assistance-quality")).json()
    assert api["referrals"] == 3 and api["answered"] == 2 and api["average_response_days"] == 3.0
    small = ["waiting", "accepted", "declined", "completed", "acceptance_rate", "average_rating", "ratings"]
    assert sorted(api["withheld"]) == sorted(small)
    assert all(api[name] is None for name in small)


def test_a_count_at_the_threshold_is_shown_and_one_below_it_withheld(
    history, make_member, client_for, settings
):
    client = client_for(make_member(Role.RAPPORTEUR))
    settings.PALERMO_MINIMUM_CELL = 3
    cells = page_cells(client)
    assert cells["referrals"] == "3"
    assert cells["average_response_days"] == "withheld: fewer than 3"  # an average of the 2 answers
    (api,) = client.get(reverse("api-assistance-quality")).json()
    assert api["referrals"] == 3 and api["answered"] is None and api["average_response_days"] is None
    assert {"answered", "average_response_days"} <= set(api["withheld"]) and "referrals" not in api[
        "withheld"
    ]
    settings.PALERMO_MINIMUM_CELL = 4
    assert page_cells(client)["referrals"] == "withheld: fewer than 4"
    (api,) = client.get(reverse("api-assistance-quality")).json()
    assert api["referrals"] is None and len(api["withheld"]) == 10  # every figure comes from the 3


def test_zero_is_shown(manager, case, legal, make_member, client_for, settings):
    settings.PALERMO_MINIMUM_CELL = 2
    consent_to(manager, case, legal.agency)
    for _ in range(2):
        referral_send(actor=manager, membership=manager.membership, case=case, service=legal)
    client = client_for(make_member(Role.RAPPORTEUR))
    cells = page_cells(client)
    assert (cells["referrals"], cells["waiting"], cells["completed"]) == ("2", "2", "0")
    (api,) = client.get(reverse("api-assistance-quality")).json()
    assert (api["answered"], api["declined"], api["ratings"], api["withheld"]) == (0, 0, 0, [])
    assert api["acceptance_rate"] is None and api["average_rating"] is None  # no data, not withheld


def test_an_average_of_too_few_ratings_is_withheld(history, make_member, client_for, settings):
    settings.PALERMO_MINIMUM_CELL = 2
    (row,) = provider_quality()
    rating = row.cells()["average_rating"]
    assert row.ratings == 1 and rating.withheld and rating.shown is None
    client = client_for(make_member(Role.RAPPORTEUR))
    assert page_cells(client)["average_rating"] == "withheld: fewer than 2"
    assert "4.0" not in client.get(reverse("assistance:quality")).content.decode()
    (api,) = client.get(reverse("api-assistance-quality")).json()
    assert api["average_rating"] is None and api["ratings"] is None and "average_rating" in api["withheld"]
