"""Every oracle is rate-limited, everywhere, for everyone (issue 15, item 2; palermo.access.limits).

Every door that matches on a person's identity (the look-up, the search by name, the duplicate check) counts
each use per person (whatever membership they act in) or per client system, on the page and in the API
alike, in a count every worker process shares; past a door's rate the API answers 429 in the one error shape
with Retry-After, a page says so in plain words. The first refusal of a window is recorded in the audit log.
"""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from palermo.access import limits
from palermo.access.models import LimitCount
from palermo.accounts.roles import Role
from palermo.audit.models import AuditEvent
from palermo.cases.models import IntakeDraft
from palermo.reflection.services.clients import lookup_client_add
from tests.api.errors import api_error
from tests.cases.casework import make_case
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db

SEARCH = reverse("cases:search")
API_SEARCH = reverse("api-cases-search")
DUPLICATES = reverse("cases:intake_duplicates")
API_DUPLICATES = reverse("api-intake-duplicates")
INTAKE = reverse("cases:intake")
LOOKUP = reverse("reflection:lookup")
API_LOOKUP = reverse("api-reflection-lookup")
QUERY = {"document_number": "ZZ 000-0001"}
PERSON = {
    "given_names": "Ilse",
    "family_names": "Marchetti",
    "birth_year": "1990",
    "birth_month": "3",
    "birth_day": "4",
}


@pytest.fixture
def two_a_minute(settings):
    settings.RATE_LIMITS = dict.fromkeys(limits.DOORS, ("2/minute",))


def refusals() -> int:
    return AuditEvent.objects.filter(action="limits.refused").count()


def test_the_look_up_screen_is_limited_on_the_same_count_as_the_api(two_a_minute, verified_client):
    officer = verified_client(Role.MIGRATION_OFFICER)
    assert officer.post(LOOKUP, QUERY).status_code == 200
    assert officer.post(API_LOOKUP, QUERY, content_type="application/json").status_code == 200
    page = officer.post(LOOKUP, QUERY)
    assert page.status_code == 429 and int(page["Retry-After"]) > 0
    html = page.content.decode()
    assert "Too many searches for now" in html and "Try again in 1 minute" in html
    assert "No protection on record" not in html  # not answered
    error = api_error(officer.post(API_LOOKUP, QUERY, content_type="application/json"), 429, "throttled")
    assert "Retry-After" in error["message"]
    # Two look-ups answered and recorded; one refusal recorded (the first of the window), never the query.
    assert AuditEvent.objects.filter(action="reflection.removal_lookup").count() == 2
    refused = AuditEvent.objects.get(action="limits.refused")
    assert refused.reason == "door: lookup; past 2/minute" and QUERY["document_number"] not in refused.reason


def test_the_search_by_name_is_limited_on_the_page_and_in_the_api(two_a_minute, client_for, manager):
    client = client_for(manager)
    search = {"name": "Ilse Marchetti"}
    assert client.post(SEARCH, search).status_code == 200
    assert client.post(API_SEARCH, search, content_type="application/json").status_code == 200
    page = client.post(SEARCH, search)
    assert page.status_code == 429 and int(page["Retry-After"]) > 0
    assert "You have searched for people many times" in page.content.decode()
    # HTMX swaps the search region in place (only a 200): the form stays, the reason takes the results' place.
    in_place = client.post(SEARCH, search, HTTP_HX_REQUEST="true")
    html = in_place.content.decode()
    assert in_place.status_code == 200 and 'id="search"' in html and 'aria-label="Search cases"' in html
    assert "You have searched for people many times" in html
    api_error(client.post(API_SEARCH, search, content_type="application/json"), 429, "throttled")
    assert AuditEvent.objects.filter(action="case.search_name").count() == 2
    # A search without a name matches on no identity: not counted, not refused.
    assert client.post(SEARCH, {"reference": "NRM-0000-0000"}).status_code == 303
    by_reference = {"reference": "NRM-0000-0000"}
    assert client.post(API_SEARCH, by_reference, content_type="application/json").status_code == 200


def test_the_duplicate_check_is_limited_and_a_form_is_still_saved(two_a_minute, client_for, first_responder):
    client = client_for(first_responder)
    assert client.post(DUPLICATES, PERSON, HTTP_HX_REQUEST="true").status_code == 200
    assert client.post(API_DUPLICATES, PERSON, content_type="application/json").status_code == 200
    # HTMX swaps only a 200 in place: the warning says the check was not made.
    in_place = client.post(DUPLICATES, PERSON, HTTP_HX_REQUEST="true")
    assert in_place.status_code == 200 and "The check for an existing record was not made" in (
        in_place.content.decode()
    )
    assert client.post(DUPLICATES, PERSON).status_code == 429
    api_error(client.post(API_DUPLICATES, PERSON, content_type="application/json"), 429, "throttled")
    assert AuditEvent.objects.filter(action="intake.duplicate_check").count() == 2
    # Saving a draft past the rate still saves it; resumed, it shows the check was not made.
    saved = client.post(INTAKE, {**PERSON, "action": "save"})
    assert saved.status_code == 302 and IntakeDraft.objects.count() == 1
    resumed = client.get(saved["Location"]).content.decode()
    assert "The check for an existing record was not made" in resumed
    # Without a full name and date nothing is matched, so nothing is counted or refused.
    assert (
        client.post(API_DUPLICATES, {"given_names": "Ilse"}, content_type="application/json").status_code
        == 200
    )


def test_the_count_is_per_person_whatever_membership_they_act_in(two_a_minute, make_member, client_for):
    person = make_member(Role.CASE_MANAGER)
    other_role = make_member(Role.FIRST_RESPONDER, user=person)
    as_manager = client_for(person, act_as=person.memberships.get(role=Role.CASE_MANAGER))
    as_responder = client_for(person, act_as=other_role.memberships.get(role=Role.FIRST_RESPONDER))
    search = {"name": "Ilse Marchetti"}
    assert as_manager.post(SEARCH, search).status_code == 200
    assert as_responder.post(SEARCH, search).status_code == 200
    assert as_manager.post(SEARCH, search).status_code == 429
    # Another person has a count of their own.
    assert client_for(make_member(Role.CASE_MANAGER)).post(SEARCH, search).status_code == 200


def test_a_client_system_has_its_own_count(two_a_minute, make_agency, verified_client, client):
    _record, token = lookup_client_add(name="Border register", agency=make_agency("migration"))
    bearer = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    asked = [client.post(API_LOOKUP, QUERY, content_type="application/json", **bearer) for _ in range(3)]
    assert [response.status_code for response in asked] == [200, 200, 429]
    api_error(asked[-1], 429, "throttled")
    # A person's look-ups are counted apart from the client system's.
    officer = verified_client(Role.MIGRATION_OFFICER)
    assert officer.post(API_LOOKUP, QUERY, content_type="application/json").status_code == 200
    refused = AuditEvent.objects.get(action="limits.refused")
    assert refused.actor is None and refused.object_type == "lookup_client"


def test_one_refusal_a_window_is_recorded_and_a_new_window_starts_afresh(
    two_a_minute, verified_client, monkeypatch
):
    officer = verified_client(Role.MIGRATION_OFFICER)
    now = 1_800_000_000.0  # the start of a minute
    monkeypatch.setattr(limits, "clock", lambda: now)
    statuses = [
        officer.post(API_LOOKUP, QUERY, content_type="application/json").status_code for _ in range(5)
    ]
    assert statuses == [200, 200, 429, 429, 429] and refusals() == 1
    assert LimitCount.objects.count() == 1  # one row per caller and door, reused
    now += 60
    assert officer.post(API_LOOKUP, QUERY, content_type="application/json").status_code == 200


def test_a_door_with_several_rates_holds_each(settings, verified_client, monkeypatch):
    settings.RATE_LIMITS = {"lookup": ("3/minute", "4/hour")}
    officer = verified_client(Role.MIGRATION_OFFICER)
    now = 1_800_000_000.0
    monkeypatch.setattr(limits, "clock", lambda: now)

    def ask() -> int:
        return officer.post(API_LOOKUP, QUERY, content_type="application/json").status_code

    assert [ask() for _ in range(4)] == [200, 200, 200, 429]
    now += 60
    refused = officer.post(API_LOOKUP, QUERY, content_type="application/json")
    assert refused.status_code == 429  # the minute is new, the hour is not
    assert 60 * 58 < int(refused["Retry-After"]) <= 3600


def test_the_rates_come_from_the_doors_or_palermo_rate_limits(settings):
    assert limits.DOORS["lookup"] == ("30/minute",)
    assert limits.parse_rates("lookup=5/minute; name_search=20/minute,200/day") == {
        "lookup": ("5/minute",),
        "name_search": ("20/minute", "200/day"),
    }
    settings.RATE_LIMITS = "duplicate_check=7/hour"
    assert limits.rates_of("duplicate_check") == (limits.Rate(7, 3600),)
    assert limits.rates_of("lookup") == (limits.Rate(30, 60),)
    for bad in ("lookups=5/minute", "lookup=5/week", "lookup=0/minute", "lookup=", "lookup=1/day,2/day"):
        with pytest.raises(ValueError):
            limits.parse_rates(bad)
    with pytest.raises(ValueError):
        limits.rates_of("linkage")  # a new door is named in DOORS before it is counted


def test_a_configured_shared_cache_keeps_the_counts_instead_of_the_table(
    settings, two_a_minute, verified_client
):
    # Redis in production (PALERMO_REDIS_URL); here an in-memory cache with the same atomic `incr`.
    settings.CACHES = {
        **settings.CACHES,
        limits.LIMITS_CACHE: {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "t"},
    }
    officer = verified_client(Role.MIGRATION_OFFICER)
    statuses = [
        officer.post(API_LOOKUP, QUERY, content_type="application/json").status_code for _ in range(3)
    ]
    assert statuses == [200, 200, 429]
    assert not LimitCount.objects.exists()


def test_the_api_schema_documents_the_429s(client_for, manager):
    schema = client_for(manager).get(reverse("api-schema"), {"format": "json"}).json()
    for path in ("/api/v1/cases/search/", "/api/v1/intake/duplicates/", "/api/v1/reflection/lookup/"):
        assert "429" in schema["paths"][path]["post"]["responses"], path


def test_a_case_with_a_match_is_still_named_to_its_team_below_the_rate(client_for, first_responder):
    case = make_case(first_responder.membership.agency)
    from tests.access.conftest import team_row

    team_row(case, first_responder.membership.agency)
    person = PersonFactory(case=case, birth_date=datetime.date(1990, 3, 4))
    data = {**PERSON, "given_names": person.given_names, "family_names": person.family_names}
    answer = client_for(first_responder).post(API_DUPLICATES, data, content_type="application/json").json()
    assert answer == {"visible": [case.reference], "others_exist": False}
