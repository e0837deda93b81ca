"""The consent section: listing, recording (the guardian's for a child) and withdrawal through HTMX."""

from __future__ import annotations

import pytest
from django.urls import reverse

from palermo.access.services import case_team_add
from palermo.accounts.roles import Role
from palermo.cases.models import ConsentPurpose
from palermo.cases.selectors import consent_valid
from tests.cases.referrals import child_overrides, open_case

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def case(first_responder, ia_agency):
    return open_case(first_responder, ia_agency)


def test_the_section_lists_the_referral_consent(first_responder, client_for, case, ia_agency):
    response = client_for(first_responder).get(reverse("cases:consent", args=[case.reference]), **HTMX)
    html = response.content.decode()
    assert "Referral to a named service" in html and ia_agency.name in html
    assert "Albanian" in html
    assert "Record a consent" in html


def test_recording_and_withdrawing_through_htmx(first_responder, client_for, case, make_agency):
    client = client_for(first_responder)
    shelter = make_agency()
    url = reverse("cases:consent", args=[case.reference])
    response = client.post(
        url,
        {
            "consent-purpose": "sharing",
            "consent-recipient_agency": str(shelter.pk),
            "consent-given_by": "person",
            "consent-language": "sqi",
        },
        **HTMX,
    )
    assert response.status_code == 200 and response["HX-Trigger"] == "case-changed"
    assert consent_valid(case, ConsentPurpose.SHARING, shelter)
    consent = case.consents.get(purpose="sharing")
    response = client.post(
        reverse("cases:consent_withdraw", args=[case.reference, consent.pk]),
        {"withdraw-note": "Said so at the shelter"},
        **HTMX,
    )
    assert response.status_code == 200
    assert "withdrawn" in response.content.decode()
    assert not consent_valid(case, ConsentPurpose.SHARING, shelter)
    withdrawn_at = case.consents.get(pk=consent.pk).withdrawn_at
    # Sent again (a double press, a colleague first): confirmed, not refused, and nothing written again.
    again = client.post(reverse("cases:consent_withdraw", args=[case.reference, consent.pk]), {}, **HTMX)
    assert again.status_code == 200 and "already been withdrawn" not in again.content.decode()
    assert case.consents.get(pk=consent.pk).withdrawn_at == withdrawn_at


def test_bad_input_is_refused_with_errors(first_responder, client_for, case):
    client = client_for(first_responder)
    url = reverse("cases:consent", args=[case.reference])
    before = case.consents.count()
    for bad in (
        {"consent-purpose": "sharing", "consent-given_by": "person", "consent-language": "sqi"},
        {"consent-purpose": "statistics", "consent-given_by": "person", "consent-language": "zz"},
        {"consent-purpose": "transnational", "consent-given_by": "person", "consent-language": "sqi"},
        {
            "consent-purpose": "statistics",
            "consent-given_by": "person",
            "consent-language": "sqi",
            "consent-given_at": "2999-01-01T10:00",
        },
    ):
        response = client.post(url, bad)
        assert response.status_code == 400
        assert 'id="section-consent"' in response.content.decode()
    assert case.consents.count() == before


def test_a_childs_case_offers_and_takes_only_the_guardian(first_responder, client_for, ia_agency):
    case = open_case(first_responder, ia_agency, **child_overrides())
    client = client_for(first_responder)
    url = reverse("cases:consent", args=[case.reference])
    html = client.get(reverse("cases:form", args=[case.reference, "consent"]), **HTMX).content.decode()
    assert 'value="person"' not in html and 'value="guardian"' in html
    refused = client.post(
        url, {"consent-purpose": "statistics", "consent-given_by": "person", "consent-language": "sqi"}
    )
    assert refused.status_code == 400
    assert not consent_valid(case, ConsentPurpose.STATISTICS)
    client.post(
        url, {"consent-purpose": "statistics", "consent-given_by": "guardian", "consent-language": "sqi"}
    )
    assert consent_valid(case, ConsentPurpose.STATISTICS)


def test_a_service_provider_reads_consents_but_records_none(
    first_responder, client_for, case, service_provider
):
    case_team_add(
        actor=first_responder,
        membership=first_responder.membership,
        case=case,
        agency=service_provider.membership.agency,
        reason="shelter place",
    )
    client = client_for(service_provider)
    url = reverse("cases:consent", args=[case.reference])
    html = client.get(url, **HTMX).content.decode()
    assert "Referral to a named service" in html and "Record a consent" not in html
    response = client.post(
        url, {"consent-purpose": "statistics", "consent-given_by": "person", "consent-language": "sqi"}
    )
    assert response.status_code == 404
    consent = case.consents.get()
    assert (
        client.post(reverse("cases:consent_withdraw", args=[case.reference, consent.pk])).status_code == 404
    )
    assert consent_valid(case, ConsentPurpose.REFERRAL)


def test_outsiders_get_404(make_member, client_for, case):
    client = client_for(make_member(Role.CASE_MANAGER))
    assert client.get(reverse("cases:consent", args=[case.reference])).status_code == 404
    consent = case.consents.get()
    assert (
        client.post(reverse("cases:consent_withdraw", args=[case.reference, consent.pk])).status_code == 404
    )


def test_before_a_guardian_the_temporary_representative_consents_with_the_childs_views(
    first_responder, client_for, ia_agency
):
    from django.utils import timezone

    from palermo.cases.models import ConsentChildViews
    from palermo.cases.services.representation import temporary_representative_record

    case = open_case(first_responder, ia_agency, **{**child_overrides(), "consent_given": False})
    client = client_for(first_responder)
    url = reverse("cases:consent", args=[case.reference])
    html = client.get(reverse("cases:form", args=[case.reference, "consent"]), **HTMX).content.decode()
    assert 'value="temporary"' in html and "consent-child_views" in html
    data = {"consent-purpose": "statistics", "consent-given_by": "temporary", "consent-language": "sqi"}
    assert client.post(url, data).status_code == 400  # no one is recorded as acting for the child
    temporary_representative_record(
        actor=first_responder,
        membership=first_responder.membership,
        case=case,
        name="Rep Testname",
        organisation="Child protection services",
        since=timezone.localdate(),
    )
    refused = client.post(url, data)  # the child's views are missing
    assert refused.status_code == 400 and not consent_valid(case, ConsentPurpose.STATISTICS)
    client.post(url, {**data, "consent-child_views": "Agrees to be counted."})
    assert consent_valid(case, ConsentPurpose.STATISTICS)
    assert ConsentChildViews.objects.filter(consent__case=case).exists()
