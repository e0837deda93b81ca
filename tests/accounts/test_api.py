"""The API's who-am-I: 401 for nobody, 403 before the second factor, 200 after, with the active membership."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from palermo.accounts.roles import AgencyType, Role
from tests.api.errors import api_error

pytestmark = pytest.mark.django_db

ME = reverse("api-me")


def test_anonymous_gets_401():
    response = Client().get(ME)
    api_error(response, 401, "not_authenticated")
    assert response["Content-Type"].startswith("application/json")


def test_password_only_gets_403(case_manager):
    client = Client()
    client.post(
        reverse("accounts:login"), {"username": case_manager.username, "password": case_manager.raw_password}
    )
    response = client.get(ME)
    api_error(response, 403, "forbidden")
    assert "username" not in response.json()


def test_verified_member_gets_the_active_membership(verified_client):
    client = verified_client(Role.MIGRATION_OFFICER)
    response = client.get(ME)
    assert response.status_code == 200
    body = response.json()
    membership = client.user.membership
    assert body["username"] == client.user.username
    assert body["active_membership"] == {
        "id": membership.pk,
        "agency": membership.agency.name,
        "agency_type": AgencyType.MIGRATION.value,
        "role": Role.MIGRATION_OFFICER.value,
    }
    assert [m["id"] for m in body["memberships"]] == [membership.pk]


def test_the_active_membership_follows_the_choice(make_member, signed_in_client):
    user = make_member(Role.CASE_MANAGER)
    first = user.membership
    make_member(Role.RAPPORTEUR, user=user)
    second = user.membership
    client = signed_in_client(user, act_as=second)
    assert client.get(ME).json()["active_membership"]["id"] == second.pk
    client.post(reverse("accounts:choose_membership"), {"membership": first.pk})
    body = client.get(ME).json()
    assert body["active_membership"]["id"] == first.pk
    assert sorted(m["id"] for m in body["memberships"]) == sorted([first.pk, second.pk])


def test_rapporteur_without_second_factor_is_refused(make_member, signed_in_client):
    client = signed_in_client(make_member(Role.RAPPORTEUR, two_factor=False))
    assert client.get(ME).status_code == 403
