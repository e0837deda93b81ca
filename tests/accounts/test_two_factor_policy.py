"""Who must pass a second factor: roles that see personal data and administrators; not the rapporteur."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from palermo.accounts.roles import ROLE_INFO, Role, requires_two_factor

pytestmark = pytest.mark.django_db

HOME = reverse("core:home")


def password_only(user) -> Client:
    client = Client()
    client.post(reverse("accounts:login"), {"username": user.username, "password": user.raw_password})
    return client


def test_the_policy_table():
    assert requires_two_factor(Role.SYSTEM_ADMINISTRATOR)
    assert not requires_two_factor(Role.RAPPORTEUR)
    for role, info in ROLE_INFO.items():
        if info.sees_personal_data:
            assert requires_two_factor(role), role


@pytest.mark.parametrize("role", list(Role))
def test_password_alone_opens_the_home_only_for_roles_without_personal_data(role, make_member):
    user = make_member(role, two_factor=False)
    client = password_only(user)
    response = client.get(HOME)
    if requires_two_factor(role):
        assert response.status_code == 302
        assert response["Location"] == reverse("accounts:two_factor")
        assert client.get(response["Location"])["Location"] == reverse("accounts:enrol")
    else:
        assert response.status_code == 200
        assert response.context["role"] == role


def test_rapporteur_is_sent_home_from_the_second_factor_step(make_member):
    client = password_only(make_member(Role.RAPPORTEUR, two_factor=False))
    response = client.get(reverse("accounts:two_factor"))
    assert response.status_code == 302
    assert response["Location"] == HOME


def test_administrator_is_forced_even_to_open_the_directory(make_member):
    client = password_only(make_member(Role.SYSTEM_ADMINISTRATOR, two_factor=False))
    response = client.get(reverse("core:directory"))
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:two_factor")


def test_one_membership_that_needs_it_is_enough_to_require_it(make_member, make_agency):
    user = make_member(Role.RAPPORTEUR, two_factor=False)
    make_member(Role.CASE_MANAGER, user=user, two_factor=False)
    client = password_only(user)
    response = client.get(reverse("accounts:choose_membership"))
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:two_factor")
