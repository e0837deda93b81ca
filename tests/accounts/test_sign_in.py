"""Password, then second factor, then the role's home: the real pages, step by step."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from palermo.accounts.roles import Role

pytestmark = pytest.mark.django_db

LOGIN = reverse("accounts:login")
TWO_FACTOR = reverse("accounts:two_factor")


def password_step(user, client: Client | None = None, **extra):
    client = client or Client()
    response = client.post(LOGIN, {"username": user.username, "password": user.raw_password, **extra})
    return client, response


def test_right_password_leads_to_the_second_factor_not_further(case_manager):
    client, response = password_step(case_manager)
    assert response.status_code == 302
    assert response["Location"] == TWO_FACTOR
    # Password alone opens nothing that needs a role.
    home = client.get(reverse("core:home"))
    assert home.status_code == 302
    assert home["Location"] == TWO_FACTOR


def test_wrong_password_is_refused_without_saying_which_part_was_wrong(case_manager):
    response = Client().post(LOGIN, {"username": case_manager.username, "password": "not-the-password-1"})
    assert response.status_code == 200
    assert "_auth_user_id" not in response.wsgi_request.session
    errors = response.context["form"].non_field_errors()
    assert errors
    assert "username" in errors[0].lower() and "password" in errors[0].lower()


def test_wrong_code_is_refused_with_a_message(case_manager, totp_code):
    client, _ = password_step(case_manager)
    right = totp_code(case_manager)
    wrong = f"{(int(right) + 1) % 1_000_000:06d}"
    response = client.post(TWO_FACTOR, {"token": wrong})
    assert response.status_code == 200
    assert "That code is not valid" in response.content.decode()
    assert not response.wsgi_request.user.is_verified()
    assert client.get(reverse("core:home"))["Location"] == TWO_FACTOR


def test_a_right_code_right_after_a_wrong_one_is_throttled_with_a_wait_message(case_manager, totp_code):
    client, _ = password_step(case_manager)
    right = totp_code(case_manager)
    client.post(TWO_FACTOR, {"token": f"{(int(right) + 1) % 1_000_000:06d}"})
    response = client.post(TWO_FACTOR, {"token": totp_code(case_manager, fresh=False)})
    assert response.status_code == 200
    assert "Too many wrong codes in a row" in response.content.decode()


@pytest.mark.parametrize("role", [Role.CASE_MANAGER, Role.MIGRATION_OFFICER, Role.SYSTEM_ADMINISTRATOR])
def test_right_code_leads_to_the_role_home(role, make_member, totp_code):
    user = make_member(role)
    client, _ = password_step(user)
    response = client.post(TWO_FACTOR, {"token": totp_code(user)})
    assert response.status_code == 302
    assert response["Location"] == reverse("core:home")
    home = client.get(response["Location"])
    assert home.status_code == 200
    assert home.context["role"] == role
    # A role with case work lands on its worklists (the panels areas register); one without, on the page
    # that says what the role is for.
    if role == Role.SYSTEM_ADMINISTRATOR:
        assert f"core/home/{role.value}.html" in [t.name for t in home.templates]
    else:
        assert home.context["panels"], "a case worker's home leads to their work"


def test_a_code_cannot_be_replayed(case_manager, totp_code):
    first, _ = password_step(case_manager)
    code = totp_code(case_manager)
    assert first.post(TWO_FACTOR, {"token": code}).status_code == 302
    second, _ = password_step(case_manager)
    response = second.post(TWO_FACTOR, {"token": code})
    assert response.status_code == 200
    assert not response.wsgi_request.user.is_verified()


def test_passing_the_second_factor_gives_a_new_session_key(case_manager, totp_code):
    client, _ = password_step(case_manager)
    password_only_key = client.session.session_key
    client.post(TWO_FACTOR, {"token": totp_code(case_manager)})
    assert client.session.session_key != password_only_key
    # Whoever held the password-only session key holds nothing now.
    stale = Client()
    stale.cookies["sessionid"] = password_only_key
    assert stale.get(reverse("core:home"))["Location"].startswith(LOGIN)


def test_next_url_on_this_site_is_followed_after_the_second_factor(case_manager, totp_code):
    target = reverse("accounts:backup_codes")
    client, _ = password_step(case_manager, next=target)
    response = client.post(TWO_FACTOR, {"token": totp_code(case_manager)})
    assert response["Location"] == target


def test_next_url_to_another_site_is_ignored(case_manager, totp_code):
    client, _ = password_step(case_manager, next="https://elsewhere.example/steal")
    response = client.post(TWO_FACTOR, {"token": totp_code(case_manager)})
    assert response["Location"] == reverse("core:home")


def test_login_page_for_a_signed_in_user_goes_home(verified_client):
    client = verified_client(Role.GUARDIAN)
    response = client.get(LOGIN)
    assert response.status_code == 302
    assert response["Location"] == reverse("core:home")


def test_inactive_user_cannot_sign_in(case_manager):
    case_manager.is_active = False
    case_manager.save(update_fields=["is_active"])
    _, response = password_step(case_manager)
    assert response.status_code == 200
    assert "_auth_user_id" not in response.wsgi_request.session
