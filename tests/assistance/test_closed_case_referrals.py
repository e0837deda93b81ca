"""A provider answers no referral of a closed case (palermo.access.closure): its inbox's pages and API, which
name no case, are refused by the referral service itself; re-opening the case lets the answer through."""

from __future__ import annotations

import pytest
from django.urls import reverse

from palermo.access.closure import CaseClosed
from palermo.assistance.models import ReferralStatus
from palermo.assistance.services.referrals import referral_accept
from palermo.cases.models import Case
from palermo.cases.reference import ClosureReason
from palermo.cases.services.lifecycle import case_transition
from tests.assistance.conftest import current
from tests.assistance.test_provider_views import referred

pytestmark = pytest.mark.django_db


def move(manager, case, name, **extra):
    fresh = Case.objects.get(pk=case.pk)
    return case_transition(
        actor=manager,
        membership=manager.membership,
        case=fresh,
        name=name,
        expected_version=fresh.version,
        reason="the reason for this change",
        **extra,
    )


def test_no_answer_to_a_referral_of_a_closed_case_until_it_is_re_opened(
    manager, lawyer, case, legal, client_for
):
    referral = referred(manager, case, legal)
    move(manager, case, "close", closure_reason=ClosureReason.DECLINED)
    client = client_for(lawyer)
    page = client.post(
        reverse("assistance:provider_accept", args=[referral.pk]), {"version": current(referral)}
    )
    assert page.status_code == 409 and "The case is closed" in page.content.decode()
    api = client.post(
        reverse("api-assistance-provider-accept", args=[referral.pk]),
        {"expected_version": current(referral)},
        content_type="application/json",
    )
    assert api.status_code == 409 and api.json()["error"]["code"] == "closed"
    with pytest.raises(CaseClosed):
        referral_accept(
            actor=lawyer, membership=lawyer.membership, referral=referral, expected_version=current(referral)
        )
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.SENT

    move(manager, case, "reopen")
    referral.refresh_from_db()
    accepted = referral_accept(
        actor=lawyer, membership=lawyer.membership, referral=referral, expected_version=current(referral)
    )
    assert accepted.status == ReferralStatus.ACCEPTED
