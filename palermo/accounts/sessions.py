"""Idle expiry without a session write on every request.

A session row expires SESSION_COOKIE_AGE (IDLE_MINUTES) after it was last saved. Saving it on every request
would slide that expiry exactly, at the cost of a write on every page; instead a request renews it only when
the last renewal is older than SESSION_TOUCH_SECONDS. An idle user is therefore signed out at most
IDLE_MINUTES after their last request (never later), and at least IDLE_MINUTES less that interval after it.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.backends.base import SessionBase
from django.contrib.sessions.models import Session
from django.http import HttpRequest, HttpResponse
from django.utils import timezone

TOUCHED_KEY = "palermo_touched"


class IdleExpiryMiddleware:
    """Renews a live session at most once per SESSION_TOUCH_SECONDS; it goes right after SessionMiddleware."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        session = getattr(request, "session", None)
        if session is not None:
            renew_if_due(session)
        return response


def renew_if_due(session: SessionBase) -> None:
    """Stamp the session (so it is saved with a new expiry) if it is saved anyway or its stamp is stale."""
    touched = session.get(TOUCHED_KEY)  # without a cookie, loading reads nothing
    if session.is_empty():  # no cookie, or one naming no live session (expired, signed out): never start one
        return
    now = int(timezone.now().timestamp())
    if session.modified or not isinstance(touched, int) or now - touched >= settings.SESSION_TOUCH_SECONDS:
        session[TOUCHED_KEY] = now


def sessions_end(user_id: int) -> int:
    """Delete every live session of one account (deactivation, a second factor reset): its browsers are
    signed out at their next request. Reads the live sessions once; returns how many were ended."""
    live = Session.objects.filter(expire_date__gt=timezone.now()).only("session_key", "session_data")
    ended = [
        session.session_key
        for session in live.iterator()
        if session.get_decoded().get(SESSION_KEY) == str(user_id)
    ]
    Session.objects.filter(session_key__in=ended).delete()
    return len(ended)
