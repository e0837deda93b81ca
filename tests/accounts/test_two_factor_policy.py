"""Who must pass a second factor: everyone who signs in, in every role, the rapporteur and the administrator
included. With the password alone a person reaches the sign-in steps (second factor, enrolment, signing out)
and the public pages, and nothing else, through the pages or the API (docs/decisions/0022)."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from palermo.access.declare import PUBLIC, SIGNED_IN, declared_roles
from palermo.accounts.roles import ROLE_INFO, Role, requires_two_factor
from tests.factories import enrol_totp
from tests.test_urls import ROUTES, url_of

pytestmark = pytest.mark.django_db

HOME = reverse("core:home")
TWO_FACTOR = reverse("accounts:two_factor")
ENROL = reverse("accounts:enrol")

# Every route past the sign-in steps, pages and API alike.
GATED = [route for route in ROUTES if declared_roles(route.callback) not in (PUBLIC, SIGNED_IN)]
API_GATED = [route for route in GATED if url_of(route).startswith("/api/")]
PAGE_GATED = [route for route in GATED if not url_of(route).startswith("/api/")]


def password_only(user) -> Client:
    client = Client()
    client.post(reverse("accounts:login"), {"username": user.username, "password": user.raw_password})
    return client


def test_the_policy_table():
    for role in ROLE_INFO:
        assert requires_two_factor(role), role
    with pytest.raises(ValueError):
        requires_two_factor("no-such-role")


def test_the_walk_covers_pages_and_api():
    assert PAGE_GATED and API_GATED


@pytest.mark.parametrize("role", list(Role))
def test_password_alone_opens_no_page_and_no_api_route(role, make_member):
    client = password_only(make_member(role, two_factor=False))
    response = client.get(HOME)
    assert response.status_code == 302 and response["Location"] == TWO_FACTOR
    assert client.get(TWO_FACTOR)["Location"] == ENROL
    assert client.get(ENROL).status_code == 200
    for route in PAGE_GATED:
        for method in ("get", "post"):
            answer = getattr(client, method)(url_of(route))
            assert answer.status_code == 302, f"{role}: {method.upper()} {route}: {answer.status_code}"
            assert answer["Location"] == TWO_FACTOR, f"{role}: {route}"
    for route in API_GATED:
        for method in ("get", "post"):
            answer = getattr(client, method)(url_of(route))
            assert answer.status_code in (401, 403), f"{role}: {method.upper()} {route}: {answer.status_code}"


@pytest.mark.parametrize("role", list(Role))
def test_public_pages_stay_open_before_the_second_factor(role, make_member):
    client = password_only(make_member(role, two_factor=False))
    assert client.get(reverse("core:health")).status_code == 200


@pytest.mark.parametrize("role", [Role.RAPPORTEUR, Role.SYSTEM_ADMINISTRATOR, Role.CASE_MANAGER])
def test_an_enrolled_member_must_still_enter_the_code(role, make_member, totp_code):
    user = make_member(role)
    client = password_only(user)
    assert client.get(HOME)["Location"] == TWO_FACTOR
    assert client.get(reverse("api-me")).status_code == 403
    response = client.post(TWO_FACTOR, {"token": totp_code(user)})
    assert response.status_code == 302
    assert client.get(HOME).status_code == 200
    assert client.get(reverse("api-me")).status_code == 200


def test_a_person_without_any_membership_passes_a_second_factor_too(make_user):
    user = make_user()
    client = password_only(user)
    assert client.get(HOME)["Location"] == TWO_FACTOR
    enrol_totp(user)
    assert client.get(reverse("accounts:choose_membership"))["Location"] == TWO_FACTOR


def test_administrator_is_forced_even_to_open_the_directory(make_member):
    client = password_only(make_member(Role.SYSTEM_ADMINISTRATOR, two_factor=False))
    response = client.get(reverse("core:directory"))
    assert response.status_code == 302
    assert response["Location"] == TWO_FACTOR
