"""The provider's screens and API: the inbox, the package while open, accept / decline / complete / close;
the case team's referral screens and API; query counts of the case section."""

from __future__ import annotations

import pytest
from django.urls import reverse

from palermo.assistance.models import Referral, ReferralStatus
from palermo.assistance.services.referrals import referral_send
from tests.assistance.conftest import consent_to, current, person_on
from tests.cases.casework import htmx, make_case, put_on_team
from tests.queries import Queries, assert_same_queries

pytestmark = pytest.mark.django_db


def referred(manager, case, service, **kwargs):
    consent_to(manager, case, service.agency)
    return referral_send(actor=manager, membership=manager.membership, case=case, service=service, **kwargs)


def test_referring_on_the_case_page_needs_consent(manager, case, legal, client_for):
    client = client_for(manager)
    url = reverse("assistance:referral_add", args=[case.reference])
    refused = client.post(url, {"service": legal.pk, "specific_needs": "x"}, **htmx())
    assert refused.status_code == 200 and "No valid consent" in refused.content.decode()
    assert not Referral.objects.exists()
    consent_to(manager, case, legal.agency)
    sent = client.post(url, {"service": legal.pk, "specific_needs": "x"}, **htmx())
    assert sent.status_code == 200 and sent["HX-Trigger"] == "case-changed"
    assert Referral.objects.get().status == ReferralStatus.SENT


def test_the_provider_answers_on_screen(manager, lawyer, case, legal, client_for):
    referral = referred(manager, case, legal, specific_needs="evening appointments")
    client = client_for(lawyer)
    inbox = client.get(reverse("assistance:provider_inbox")).content.decode()
    assert f"#{referral.pk}" in inbox and case.reference not in inbox
    detail = client.get(reverse("assistance:provider_referral", args=[referral.pk])).content.decode()
    assert "evening appointments" in detail and case.reference not in detail
    bad = client.post(reverse("assistance:provider_decline", args=[referral.pk]), {"reason": "other"})
    assert bad.status_code == 400
    accepted = client.post(
        reverse("assistance:provider_accept", args=[referral.pk]),
        {"appointment_at": "2030-01-02T10:00", "version": current(referral)},
    )
    assert accepted.status_code == 302
    done = client.post(
        reverse("assistance:provider_complete", args=[referral.pk]),
        {"service_given": "advice", "version": current(referral)},
    )
    assert done.status_code == 302
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.COMPLETED and referral.appointment_at is not None
    closed = client.get(reverse("assistance:provider_referral", args=[referral.pk])).content.decode()
    assert "evening appointments" not in closed


def test_the_provider_api(manager, lawyer, case, legal, client_for):
    referral = referred(manager, case, legal)
    client = client_for(lawyer)
    listed = client.get(reverse("api-assistance-provider-referrals")).json()
    assert [row["id"] for row in listed["results"]] == [referral.pk]
    assert "case" not in listed["results"][0]
    detail = client.get(reverse("api-assistance-provider-referral", args=[referral.pk])).json()
    assert detail["package"]["languages"][1] == {"language": "ara", "needs_interpreter": True}
    declined = client.post(
        reverse("api-assistance-provider-decline", args=[referral.pk]),
        {"reason": "no_capacity", "expected_version": current(referral)},
        content_type="application/json",
    )
    assert declined.status_code == 200 and declined.json()["package"] is None
    again = client.post(
        reverse("api-assistance-provider-accept", args=[referral.pk]),
        {"expected_version": current(referral)},
        content_type="application/json",
    )
    assert again.status_code == 400
    stale = client.post(
        reverse("api-assistance-provider-accept", args=[referral.pk]),
        {"expected_version": 1},
        content_type="application/json",
    )
    assert stale.status_code == 409


def test_case_team_api_refers_and_gets_feedback(manager, lawyer, case, legal, client_for):
    client = client_for(manager)
    url = reverse("api-assistance-referrals", args=[case.reference])
    assert client.post(url, {"service": legal.pk}, content_type="application/json").status_code == 400
    consent_to(manager, case, legal.agency)
    created = client.post(
        url, {"service": legal.pk, "specific_needs": "ramp"}, content_type="application/json"
    )
    assert created.status_code == 201 and created.json()["specific_needs"] == "ramp"
    referral = Referral.objects.get()
    from palermo.assistance.services.referrals import referral_accept, referral_complete

    referral_accept(
        actor=lawyer, membership=lawyer.membership, referral=referral, expected_version=current(referral)
    )
    referral_complete(
        actor=lawyer,
        membership=lawyer.membership,
        referral=referral,
        service_given="done",
        expected_version=current(referral),
    )
    feedback = client.post(
        reverse("api-assistance-referral-feedback", args=[case.reference, referral.pk]),
        {"rating": 4, "note": "kind people", "expected_version": current(referral)},
        content_type="application/json",
    )
    assert feedback.status_code == 200 and feedback.json()["feedback_rating"] == 4


def test_the_case_section_queries_do_not_grow_with_referrals(manager, case, legal, shelter, client_for):
    client = client_for(manager)
    url = reverse("assistance:case", args=[case.reference])
    referred(manager, case, legal)
    with Queries() as few:
        assert client.get(url, **htmx()).status_code == 200
    for _ in range(5):
        other = make_case(manager.membership.agency)
        put_on_team(other, manager)
        person_on(other)
    for _ in range(6):
        referral_send(actor=manager, membership=manager.membership, case=case, service=legal)
    with Queries() as many:
        assert client.get(url, **htmx()).status_code == 200
    assert_same_queries(few, many)


def test_the_provider_inbox_queries_do_not_grow(manager, lawyer, legal, client_for):
    client = client_for(lawyer)
    case = make_case(manager.membership.agency)
    put_on_team(case, manager)
    person_on(case)
    referred(manager, case, legal)
    with Queries() as few:
        assert client.get(reverse("assistance:provider_inbox")).status_code == 200
    for _ in range(8):
        referral_send(actor=manager, membership=manager.membership, case=case, service=legal)
    with Queries() as many:
        assert client.get(reverse("assistance:provider_inbox")).status_code == 200
    assert_same_queries(few, many)


def test_the_case_page_holds_the_assistance_section_and_the_directory_links_it(manager, case, client_for):
    client = client_for(manager)
    page = client.get(reverse("cases:detail_full", args=[case.reference])).content.decode()
    assert 'id="section-assistance"' in page
    assert reverse("assistance:summary_page", args=[case.reference]) in page
    form_url = reverse("cases:form", args=[case.reference, "assistance-referral"])
    assert f'hx-get="{form_url}"' in page
    form = client.get(form_url, **htmx()).content.decode()
    assert reverse("assistance:referral_add", args=[case.reference]) in form
