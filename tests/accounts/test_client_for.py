"""The suite's shortcut sign-in (``client_for``) must leave the session the real pages leave, or the tests
that use it would test a state no person can reach."""

from __future__ import annotations

import pytest
from django.urls import reverse

from palermo.accounts.roles import Role

pytestmark = pytest.mark.django_db

# Values that differ between any two sign-ins of the same person (the password hash's salt does not).
PER_SIGN_IN = {"palermo_touched"}


def session_of(client) -> dict:
    return {key: value for key, value in client.session.items() if key not in PER_SIGN_IN}


def test_one_membership_same_session_as_the_real_sign_in(signed_in_client, client_for, case_manager):
    real, shortcut = signed_in_client(case_manager), client_for(case_manager)
    assert session_of(shortcut) == session_of(real)
    assert set(shortcut.session.keys()) == set(real.session.keys())
    home = shortcut.get(reverse("core:home"))
    assert home.status_code == 200 and home.wsgi_request.user.is_verified()


def test_chosen_membership_same_session_as_the_real_choose_page(
    signed_in_client, client_for, make_member, make_agency
):
    user = make_member(Role.CASE_MANAGER)
    second = make_member(Role.FIRST_RESPONDER, user=user, agency=make_agency()).membership
    real, shortcut = signed_in_client(user, act_as=second), client_for(user, act_as=second)
    assert session_of(shortcut) == session_of(real)
    assert shortcut.get(reverse("core:home")).status_code == 200


def test_several_memberships_and_no_choice_lead_to_the_choose_page_as_after_the_real_sign_in(
    signed_in_client, client_for, make_member, make_agency
):
    user = make_member(Role.CASE_MANAGER)
    make_member(Role.FIRST_RESPONDER, user=user, agency=make_agency())
    real, shortcut = signed_in_client(user), client_for(user)
    assert session_of(shortcut) == session_of(real)
    assert shortcut.get(reverse("core:home"))["Location"] == real.get(reverse("core:home"))["Location"]


def test_without_an_authenticator_the_shortcut_is_not_verified_either(client_for, make_member):
    user = make_member(Role.CASE_MANAGER, two_factor=False)
    response = client_for(user).get(reverse("core:home"))
    assert response.status_code == 302 and response["Location"] == reverse("accounts:two_factor")
