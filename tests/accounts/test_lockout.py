"""django-axes: after AXES_FAILURE_LIMIT wrong passwords, even the right one meets the locked-out page; past
the higher per-address limit, no account signs in from that address for a while."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from palermo.access import limits
from palermo.audit.models import AuditEvent

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


# --- per network address, whatever the accounts (ASVS V2.2.1) ----------------------------------------------


def test_many_usernames_from_one_address_are_refused_past_the_address_limit(settings, case_manager):
    settings.RATE_LIMITS = "sign_in_address=4/hour"
    client = Client()
    for number in range(4):  # four different accounts, one wrong password each: below axes' per-account limit
        assert attempt(client, f"someone-{number}", "wrong-password").status_code == 200
    response = attempt(client, case_manager.username, case_manager.raw_password)
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    assert "accounts/sign_in_limited.html" in [t.name for t in response.templates]
    assert "Too many failed sign-in attempts came from this network" in response.content.decode()
    assert "_auth_user_id" not in client.session
    refusals = AuditEvent.objects.filter(action="limits.refused")
    assert [event.reason for event in refusals] == ["door: sign_in_address; past 4/hour"]


def test_a_colleague_at_the_same_address_below_the_address_limit_signs_in(settings, make_member):
    settings.RATE_LIMITS = "sign_in_address=4/hour"
    colleague = make_member("case_manager")
    for number in range(3):
        assert attempt(Client(), f"someone-{number}", "wrong-password").status_code == 200
    response = attempt(Client(), colleague.username, colleague.raw_password)
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:two_factor")


def test_successful_sign_ins_do_not_count_towards_the_address_limit(settings, make_member):
    settings.RATE_LIMITS = "sign_in_address=2/hour"
    for _number in range(4):
        person = make_member("case_manager")
        assert attempt(Client(), person.username, person.raw_password).status_code == 302


def test_another_address_is_unaffected(settings, case_manager):
    settings.RATE_LIMITS = "sign_in_address=2/hour"
    for _number in range(3):
        attempt(Client(REMOTE_ADDR="198.51.100.7"), "someone", "wrong-password")
    response = attempt(Client(REMOTE_ADDR="198.51.100.8"), case_manager.username, case_manager.raw_password)
    assert response.status_code == 302


def test_the_address_limit_is_higher_than_the_account_limit():
    assert min(rate.count for rate in limits.rates_of("sign_in_address")) > settings.AXES_FAILURE_LIMIT
