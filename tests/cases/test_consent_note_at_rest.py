"""A consent's withdrawal note is personal data (issue 15, item 5): encrypted at rest (T2), shown on the page
and in the API to readers of T2 on the case, hidden from a reader of its metadata alone, and the notes
already stored in clear are sealed by the data migration."""

from __future__ import annotations

import pytest
from django.apps import apps
from django.db import connection
from django.urls import reverse

from palermo.accounts.roles import Role
from palermo.cases.models import Consent
from palermo.core.sealing import encrypt_existing
from tests.cases.casework import own_case

pytestmark = pytest.mark.django_db

NOTE = "Ysolde Markovic phoned from the hostel and said she no longer agrees"


def raw_note(consent: Consent) -> str:
    table = connection.ops.quote_name(Consent._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT withdrawal_note FROM {table} WHERE id = %s", [consent.pk])  # noqa: S608
        return cursor.fetchone()[0]


@pytest.fixture
def given(manager):
    case = own_case(manager)
    from palermo.cases.services.consent import consent_record

    consent = consent_record(
        actor=manager,
        membership=manager.membership,
        case=case,
        purpose="sharing",
        recipient_agency=manager.membership.agency,
        given_by="person",
        language="sqi",
    )
    return case, consent


def test_withdrawn_on_the_page_sealed_and_shown_at_t2_only(given, manager, make_member, client_for):
    case, consent = given
    client = client_for(manager)
    url = reverse("cases:consent_withdraw", args=[case.reference, consent.pk])
    assert client.post(url, {"withdraw-note": NOTE}).status_code in (200, 302)
    stored = Consent.objects.get(pk=consent.pk)
    assert stored.withdrawal_note == NOTE and stored.withdrawn_at is not None
    assert "Ysolde" not in raw_note(consent)

    section = reverse("cases:consent", args=[case.reference])
    assert NOTE in client.get(section, HTTP_HX_REQUEST="true").content.decode()
    colleague = make_member(Role.CASE_MANAGER, agency=manager.membership.agency)  # T0 and T1 on the case
    shown = client_for(colleague).get(section, HTTP_HX_REQUEST="true")
    assert shown.status_code == 200
    assert "Ysolde" not in shown.content.decode() and "Withdrawn on" in shown.content.decode()


def test_withdrawn_through_the_api_sealed_and_null_below_t2(given, manager, make_member, client_for):
    case, consent = given
    client = client_for(manager)
    url = reverse("api-case-consent-withdraw", args=[case.reference, consent.pk])
    response = client.post(url, {"note": NOTE}, content_type="application/json")
    assert response.status_code == 200, response.content
    assert response.json()["withdrawal_note"] == NOTE
    assert "Ysolde" not in raw_note(consent)

    listed = reverse("api-case-consents", args=[case.reference])
    assert [c["withdrawal_note"] for c in client.get(listed).json()] == [NOTE]
    colleague = make_member(Role.CASE_MANAGER, agency=manager.membership.agency)
    answer = client_for(colleague).get(listed)
    assert answer.status_code == 200
    assert [c["withdrawal_note"] for c in answer.json()] == [None]


def test_the_data_migration_seals_notes_stored_in_clear(given, manager):
    _case, consent = given
    from palermo.cases.services.consent import consent_withdraw

    consent_withdraw(actor=manager, membership=manager.membership, consent=consent, note=NOTE)
    table = connection.ops.quote_name(Consent._meta.db_table)
    with connection.cursor() as cursor:  # as the column held it before the migration
        cursor.execute(f"UPDATE {table} SET withdrawal_note = %s WHERE id = %s", [NOTE, consent.pk])  # noqa: S608
    encrypt_existing("cases", "Consent", "withdrawal_note")(apps, None)
    assert "Ysolde" not in raw_note(consent)
    assert Consent.objects.get(pk=consent.pk).withdrawal_note == NOTE
