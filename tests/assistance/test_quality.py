"""Quality of services: per provider response time, acceptance rate, services completed and the persons'
ratings, as aggregates only (T0), for the rapporteur and case managers."""

from __future__ import annotations

import datetime

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


def test_an_average_of_too_few_ratings_is_withheld(history, make_member, client_for, settings):
    settings.PALERMO_MINIMUM_CELL = 2
    (row,) = provider_quality()
    assert row.ratings == 1 and row.rating_withheld and row.shown_rating is None
    client = client_for(make_member(Role.RAPPORTEUR))
    page = " ".join(client.get(reverse("assistance:quality")).content.decode().split())
    assert "withheld: fewer than 2 ratings" in page and "4.0" not in page
    assert client.get(reverse("api-assistance-quality")).json()[0]["average_rating"] is None
