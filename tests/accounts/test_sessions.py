"""Sessions: idle expiry renewed on every request, and a sign-out that ends the session on the server."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from palermo.accounts.roles import Role

pytestmark = pytest.mark.django_db

HOME = reverse("core:home")
LOGIN = reverse("accounts:login")


class Clock:
    """Moves Django's notion of now (session expiry reads timezone.now) without sleeping."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.offset = timedelta(0)
        real_now = timezone.now
        monkeypatch.setattr(timezone, "now", lambda: real_now() + self.offset)

    def advance(self, delta: timedelta) -> None:
        self.offset += delta


def signed_out(response) -> bool:
    return response.status_code == 302 and response["Location"].startswith(LOGIN)


def test_idle_expiry_comes_from_the_setting():
    assert settings.SESSION_COOKIE_AGE == settings.IDLE_MINUTES * 60
    assert settings.SESSION_SAVE_EVERY_REQUEST


def test_a_session_idle_longer_than_the_limit_is_refused(verified_client, monkeypatch):
    client = verified_client(Role.CASE_MANAGER)
    clock = Clock(monkeypatch)
    clock.advance(timedelta(seconds=settings.SESSION_COOKIE_AGE + 1))
    assert signed_out(client.get(HOME))


def test_each_request_renews_the_idle_limit(verified_client, monkeypatch):
    client = verified_client(Role.CASE_MANAGER)
    clock = Clock(monkeypatch)
    almost = timedelta(seconds=settings.SESSION_COOKIE_AGE - 60)
    # Twice almost the limit in total, but never idle for the whole limit: still signed in.
    clock.advance(almost)
    assert client.get(HOME).status_code == 200
    clock.advance(almost)
    assert client.get(HOME).status_code == 200
    clock.advance(timedelta(seconds=settings.SESSION_COOKIE_AGE + 1))
    assert signed_out(client.get(HOME))


def test_an_expired_session_row_is_refused(verified_client):
    client = verified_client(Role.GUARDIAN)
    Session.objects.filter(session_key=client.session.session_key).update(
        expire_date=timezone.now() - timedelta(seconds=1)
    )
    assert signed_out(client.get(HOME))


def test_logout_is_post_only(verified_client):
    client = verified_client(Role.CASE_MANAGER)
    assert client.get(reverse("accounts:logout")).status_code == 405
    assert client.get(HOME).status_code == 200


def test_logout_ends_the_session_on_the_server(verified_client):
    client = verified_client(Role.CASE_MANAGER)
    old_key = client.session.session_key
    response = client.post(reverse("accounts:logout"))
    assert response.status_code == 302
    assert response["Location"] == LOGIN
    assert not Session.objects.filter(session_key=old_key).exists()
    # A copy of the old cookie authenticates nobody.
    replay = Client()
    replay.cookies["sessionid"] = old_key
    assert signed_out(replay.get(HOME))
    assert signed_out(client.get(HOME))


def test_changing_the_password_ends_other_sessions(verified_client):
    client = verified_client(Role.CASE_MANAGER)
    user = client.user
    user.set_password("a-completely-new-passphrase-42")
    user.save(update_fields=["password"])
    assert signed_out(client.get(HOME))
