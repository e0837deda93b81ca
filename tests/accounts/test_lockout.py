"""django-axes: after AXES_FAILURE_LIMIT wrong passwords, even the right one meets the locked-out page."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db

LOGIN = reverse("accounts:login")


def attempt(client: Client, username: str, password: str):
    return client.post(LOGIN, {"username": username, "password": password})


def fail(client: Client, username: str, times: int) -> None:
    for number in range(1, times + 1):
        response = attempt(client, username, f"wrong-password-{number}")
        if number < settings.AXES_FAILURE_LIMIT:
            assert response.status_code == 200, "a failure before the limit shows the form again"
        else:
            assert response.status_code == settings.AXES_HTTP_RESPONSE_CODE, "the limit-th failure locks"


def test_the_limit_is_configured():
    assert settings.AXES_FAILURE_LIMIT >= 3


def test_locked_out_after_the_limit_even_with_the_right_password(case_manager):
    client = Client()
    fail(client, case_manager.username, settings.AXES_FAILURE_LIMIT)
    response = attempt(client, case_manager.username, case_manager.raw_password)
    assert response.status_code == settings.AXES_HTTP_RESPONSE_CODE
    assert "accounts/locked_out.html" in [t.name for t in response.templates]
    assert "Too many failed sign-in attempts" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_one_failure_less_than_the_limit_still_lets_the_right_password_in(case_manager):
    client = Client()
    fail(client, case_manager.username, settings.AXES_FAILURE_LIMIT - 1)
    response = attempt(client, case_manager.username, case_manager.raw_password)
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:two_factor")


def test_a_lockout_of_one_account_does_not_lock_a_colleague_at_the_same_address(case_manager, make_member):
    colleague = make_member("case_manager")
    client = Client()
    fail(client, case_manager.username, settings.AXES_FAILURE_LIMIT)
    response = attempt(Client(), colleague.username, colleague.raw_password)
    assert response.status_code == 302
