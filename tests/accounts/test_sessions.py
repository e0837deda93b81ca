"""Sessions: idle expiry renewed at most once a touch interval, and a sign-out that ends the session."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.conf import settings
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from palermo.accounts.roles import Role
from palermo.accounts.sessions import renew_if_due
from tests.queries import Queries

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


def session_writes(queries) -> list[str]:
    return [
        q["sql"]
        for q in queries
        if "django_session" in q["sql"] and q["sql"].startswith(("UPDATE", "INSERT"))
    ]


def expiry(client: Client):
    return Session.objects.get(session_key=client.session.session_key).expire_date


def test_idle_expiry_comes_from_the_setting():
    assert settings.SESSION_COOKIE_AGE == settings.IDLE_MINUTES * 60
    assert not settings.SESSION_SAVE_EVERY_REQUEST
    assert 0 < settings.SESSION_TOUCH_SECONDS <= min(60, settings.SESSION_COOKIE_AGE / 10)


def test_a_session_idle_longer_than_the_limit_is_refused(verified_client, monkeypatch):
    client = verified_client(Role.CASE_MANAGER)
    clock = Clock(monkeypatch)
    clock.advance(timedelta(seconds=settings.SESSION_COOKIE_AGE + 1))
    assert signed_out(client.get(HOME))


def test_requests_after_a_pause_renew_the_idle_limit(verified_client, monkeypatch):
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


def test_a_request_within_the_touch_interval_writes_no_session(verified_client, monkeypatch):
    client = verified_client(Role.CASE_MANAGER)
    clock = Clock(monkeypatch)
    before = expiry(client)
    clock.advance(timedelta(seconds=settings.SESSION_TOUCH_SECONDS - 2))
    with Queries() as captured:
        assert client.get(HOME).status_code == 200
    assert session_writes(captured.captured_queries) == []
    assert expiry(client) == before


def test_a_request_after_the_touch_interval_extends_the_expiry(verified_client, monkeypatch):
    client = verified_client(Role.CASE_MANAGER)
    clock = Clock(monkeypatch)
    before = expiry(client)
    clock.advance(timedelta(seconds=settings.SESSION_TOUCH_SECONDS + 1))
    with Queries() as captured:
        assert client.get(HOME).status_code == 200
    assert len(session_writes(captured.captured_queries)) == 1
    assert expiry(client) >= before + timedelta(seconds=settings.SESSION_TOUCH_SECONDS)
    assert abs(
        expiry(client) - (timezone.now() + timedelta(seconds=settings.SESSION_COOKIE_AGE))
    ) < timedelta(seconds=5)


def test_idle_for_the_limit_after_an_unrenewed_request_is_signed_out(verified_client, monkeypatch):
    # The last request came within the touch interval, so it did not renew: the limit still counts from the
    # renewal before it, and the user is signed out no later than the limit after their last request.
    client = verified_client(Role.CASE_MANAGER)
    clock = Clock(monkeypatch)
    clock.advance(timedelta(seconds=settings.SESSION_TOUCH_SECONDS - 2))
    assert client.get(HOME).status_code == 200
    clock.advance(timedelta(seconds=settings.SESSION_COOKIE_AGE))
    assert signed_out(client.get(HOME))


def test_a_user_back_within_the_limit_less_the_interval_stays_signed_in(verified_client, monkeypatch):
    client = verified_client(Role.CASE_MANAGER)
    clock = Clock(monkeypatch)
    pause = timedelta(seconds=settings.SESSION_COOKIE_AGE - settings.SESSION_TOUCH_SECONDS)
    for _ in range(4):
        # A second request inside the interval renews nothing; a pause of the limit less the interval after it
        # is still covered, and the request after that pause renews.
        clock.advance(timedelta(seconds=settings.SESSION_TOUCH_SECONDS - 2))
        assert client.get(HOME).status_code == 200
        clock.advance(pause)
        assert client.get(HOME).status_code == 200


def test_anonymous_requests_start_no_session(client):
    assert client.get(LOGIN).status_code == 200
    client.cookies["sessionid"] = "x" * 32  # a stale cookie, as an expired or signed-out session leaves
    assert signed_out(client.get(HOME))
    assert not Session.objects.exists()


def test_a_stale_cookie_the_request_never_read_starts_no_session():
    session = SessionStore(session_key="x" * 32)
    renew_if_due(session)
    assert session.is_empty() and not session.modified


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
