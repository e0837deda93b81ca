"""The non-removal look-up: by document or by name and birth date through blind indexes, answering only
"protected until DATE" or "no protection on record", audited; the protection source registry; client systems
with hashed tokens, their command, and the token API's 401s."""

from __future__ import annotations

import datetime
import hashlib
import io

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from rest_framework.test import APIRequestFactory

from palermo.accounts.roles import Role
from palermo.audit.models import AuditEvent
from palermo.identification.services.decisions import decision_take
from palermo.reflection.api.lookup import RemovalLookup
from palermo.reflection.models import LookupClient
from palermo.reflection.protection import register_protection_source, remove_protection_source
from palermo.reflection.services.clients import lookup_client_add, lookup_client_revoke
from palermo.reflection.services.lookup import LookupQuery, removal_lookup
from palermo.reflection.throttling import LOOKUP_RATE
from tests.api.errors import api_error
from tests.queries import Queries
from tests.reflection.conftest import POSITIVE, add_person, decide, fake, request_period

pytestmark = pytest.mark.django_db

LOOKUP_URL = reverse("reflection:lookup")
API_URL = reverse("api-reflection-lookup")
DOCUMENT = "AB 123-4567"


@pytest.fixture
def protected(running, authority, django_capture_on_commit_callbacks):
    """The running period's person, with a passport, both identification decisions taken: the period's last
    day is the last protected day (tests/reflection/test_lookup_situations.py has the pending decisions)."""
    person = add_person(running.case, document=DOCUMENT, birth_date=datetime.date(1990, 5, 17))
    decide(authority, running.case, django_capture_on_commit_callbacks)
    decision_take(
        actor=authority, membership=authority.membership, case=running.case, kind="identified", data=POSITIVE
    )
    running.refresh_from_db()
    return running, person


def ask(officer, **query):
    return removal_lookup(query=LookupQuery(**query), actor=officer, membership=officer.membership)


def test_by_document_in_any_spelling(protected, migration_officer):
    period, _person = protected
    assert ask(migration_officer, document_number="ab1234567").protected_until == period.ends_on
    assert ask(migration_officer, document_number="XY 999").protected_until is None


def test_by_name_and_birth_date_never_by_name_alone(protected, migration_officer):
    period, person = protected
    name = f"{person.family_names} {person.given_names}"  # any word order
    answer = ask(migration_officer, name=name, birth_date=person.birth_date)
    assert answer.protected and answer.protected_until == period.ends_on
    other_day = person.birth_date + datetime.timedelta(days=1)
    assert not ask(migration_officer, name=name, birth_date=other_day).protected
    with pytest.raises(ValidationError):
        ask(migration_officer, name=name)
    with pytest.raises(ValidationError):
        ask(migration_officer, document_number=" -- ")


def test_no_protection_once_the_period_is_over(protected, migration_officer, clock):
    period, _person = protected
    clock.advance(days=(period.ends_on - timezone.localdate()).days + 1)
    assert ask(migration_officer, document_number=DOCUMENT).protected_until is None


def test_the_latest_day_of_any_source_is_the_answer(protected, migration_officer):
    period, person = protected
    later = period.ends_on + datetime.timedelta(days=200)
    seen = []

    def permits(case_ids):
        seen.append(set(case_ids))
        return later

    def expired(case_ids):
        return timezone.localdate() - datetime.timedelta(days=3)

    register_protection_source(permits)
    register_protection_source(expired)
    try:
        assert ask(migration_officer, document_number=DOCUMENT).protected_until == later
    finally:
        remove_protection_source(permits)
        remove_protection_source(expired)
    assert seen == [{person.case_id}]


def test_every_look_up_is_audited_without_what_was_asked(protected, migration_officer):
    period, person = protected
    ask(migration_officer, document_number=DOCUMENT)
    ask(migration_officer, name=person.given_names, birth_date=person.birth_date)
    events = list(AuditEvent.objects.filter(action="reflection.removal_lookup").order_by("sequence"))
    assert len(events) == 2
    first, second = events
    assert (first.actor_id, first.agency_id, first.tier) == (
        migration_officer.pk,
        migration_officer.membership.agency_id,
        2,
    )
    assert first.reason == (
        f"by document; told: protected until {period.ends_on.isoformat()}; matched: {period.case.reference}; "
        "came close: none"
    )
    assert second.reason == "by name_and_birth_date; told: no protection; matched: none; came close: none"
    for event in events:
        for secret in (DOCUMENT, "1234567", person.given_names, person.birth_date.isoformat()):
            assert secret not in event.reason


def test_the_screen_answers_only_protected_until_or_none(protected, verified_client):
    period, person = protected
    client = verified_client(Role.MIGRATION_OFFICER)
    assert client.get(LOOKUP_URL).status_code == 200
    response = client.post(LOOKUP_URL, {"document_number": DOCUMENT})
    page = response.content.decode()
    assert response.status_code == 200
    assert f"Protected from removal until {date_format(period.ends_on)}" in page
    for secret in (period.case.reference, DOCUMENT, person.given_names, person.family_names):
        assert secret not in page
    response = client.post(LOOKUP_URL, {"name": fake.name(), "birth_date": "1980-01-01"})
    assert "No protection on record" in response.content.decode()
    assert client.post(LOOKUP_URL, {"name": person.given_names}).status_code == 400
    assert AuditEvent.objects.filter(action="reflection.removal_lookup").count() == 2


def test_the_screen_is_for_migration_officers(verified_client):
    client = verified_client(Role.CASE_MANAGER)
    assert client.get(LOOKUP_URL).status_code == 404
    assert client.post(LOOKUP_URL, {"document_number": DOCUMENT}).status_code == 404


def test_the_api_for_a_migration_officer_session(protected, verified_client):
    period, _person = protected
    client = verified_client(Role.MIGRATION_OFFICER)
    response = client.post(API_URL, {"document_number": DOCUMENT}, content_type="application/json")
    assert response.status_code == 200
    assert response.json() == {
        "answer": "protected",
        "protected": True,
        "protected_until": period.ends_on.isoformat(),
        "contact": None,
        "message": f"Protected from removal until {period.ends_on.isoformat()}. Ask again before acting.",
    }
    refused = client.post(API_URL, {"name": "Someone"}, content_type="application/json")
    assert refused.status_code == 400


# --- client systems ---


def test_a_client_token_is_shown_once_and_stored_hashed(make_agency):
    client, token = lookup_client_add(name="Border register", agency=make_agency("migration"))
    assert len(token) >= 40 and token not in client.token_hash
    assert client.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert AuditEvent.objects.filter(action="lookup_client.add", object_id=str(client.pk)).exists()
    with pytest.raises(ValidationError):
        lookup_client_add(name="Border register", agency=client.agency)


def test_the_command_adds_lists_and_revokes(make_agency):
    agency = make_agency("migration")
    out = io.StringIO()
    call_command("lookup_client", "add", "Border register", "--agency", agency.name, stdout=out)
    token = out.getvalue().strip().splitlines()[-1]
    client = LookupClient.objects.get(name="Border register")
    assert client.token_hash == hashlib.sha256(token.encode()).hexdigest() and client.agency == agency
    listing = io.StringIO()
    call_command("lookup_client", "list", stdout=listing)
    assert "Border register" in listing.getvalue() and "active" in listing.getvalue()
    call_command("lookup_client", "revoke", "Border register", stdout=io.StringIO())
    client.refresh_from_db()
    assert client.revoked_at is not None
    with pytest.raises(CommandError):
        call_command("lookup_client", "add", "Other", "--agency", "no such agency", stdout=io.StringIO())
    with pytest.raises(CommandError):
        call_command("lookup_client", "revoke", "Nobody", stdout=io.StringIO())


def token_request(token: str, data: dict):
    """The look-up view itself with a bearer token (the DRF layer: authentication, permission, answer)."""
    request = APIRequestFactory().post(API_URL, data, format="json", HTTP_AUTHORIZATION=f"Bearer {token}")
    return RemovalLookup.as_view()(request)


def test_a_client_system_asks_with_its_token(protected, make_agency):
    period, _person = protected
    client, token = lookup_client_add(name="Border register", agency=make_agency("migration"))
    response = token_request(token, {"document_number": DOCUMENT})
    assert response.status_code == 200
    assert (response.data["answer"], response.data["protected_until"]) == ("protected", period.ends_on)
    event = AuditEvent.objects.get(action="reflection.removal_lookup")
    assert (event.actor_id, event.object_type, event.object_id) == (None, "lookup_client", str(client.pk))
    client.refresh_from_db()
    assert client.last_used_at is not None


def test_unknown_and_revoked_tokens_get_401(protected, make_agency):
    _client, token = lookup_client_add(name="Border register", agency=make_agency("migration"))
    assert token_request("not-a-token", {"document_number": DOCUMENT}).status_code == 401
    lookup_client_revoke(name="Border register")
    response = token_request(token, {"document_number": DOCUMENT})
    assert api_error(response, 401, "not_authenticated")["message"] == "Unknown or revoked token."
    assert response["WWW-Authenticate"].startswith("Bearer")
    assert not AuditEvent.objects.filter(action="reflection.removal_lookup").exists()
    # Through the whole application too.
    answered = Client().post(
        API_URL,
        {"document_number": DOCUMENT},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )
    api_error(answered, 401, "not_authenticated")


def test_a_client_system_through_the_whole_application(protected, make_agency):
    _client, token = lookup_client_add(name="Border register", agency=make_agency("migration"))
    answered = Client().post(
        API_URL,
        {"document_number": DOCUMENT},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )
    assert answered.status_code == 200


def test_a_look_up_costs_the_same_queries_for_one_or_many_matches(make_case, responder, migration_officer):
    def queries() -> int:
        with Queries() as captured:
            assert ask(migration_officer, document_number=DOCUMENT).protected
        return len(captured)

    for count in range(6):
        case = make_case(team=(responder,))
        request_period(responder, case)
        add_person(case, document=DOCUMENT)
        if count == 0:
            one = queries()
    assert queries() == one


def test_look_ups_past_the_rate_answer_429_per_caller(protected, make_agency, verified_client, settings):
    assert LOOKUP_RATE == "30/minute"
    settings.RATE_LIMITS = {"lookup": ("2/minute",)}  # the same limit, reached in three requests
    officer = verified_client(Role.MIGRATION_OFFICER)
    asked = [
        officer.post(API_URL, {"document_number": DOCUMENT}, content_type="application/json").status_code
        for _ in range(3)
    ]
    assert asked == [200, 200, 429]
    refused = officer.post(API_URL, {"document_number": DOCUMENT}, content_type="application/json")
    api_error(refused, 429, "throttled")
    assert int(refused["Retry-After"]) > 0
    # A refused look-up is neither answered nor recorded.
    assert AuditEvent.objects.filter(action="reflection.removal_lookup").count() == 2
    # Each caller has its own count: a client system's token is not held back by the officer's.
    _client, token = lookup_client_add(name="Border register", agency=make_agency("migration"))
    by_token = [token_request(token, {"document_number": DOCUMENT}).status_code for _ in range(3)]
    assert by_token == [200, 200, 429]
