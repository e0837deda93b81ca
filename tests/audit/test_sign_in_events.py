"""Signing in and out is on the record; a username that matches no account is never stored."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from palermo.accounts.roles import Role
from palermo.audit.models import AuditEvent

pytestmark = pytest.mark.django_db

LOGIN = reverse("accounts:login")
TWO_FACTOR = reverse("accounts:two_factor")


def events_since(sequence: int) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(sequence__gt=sequence).order_by("sequence"))


def last_sequence() -> int:
    event = AuditEvent.objects.order_by("-sequence").first()
    return event.sequence if event else 0


def test_sign_in_and_sign_out_are_recorded(case_manager, signed_in_client):
    start = last_sequence()
    client = signed_in_client(case_manager)
    client.post(reverse("accounts:logout"))
    events = events_since(start)
    assert [e.action for e in events] == ["auth.sign_in", "auth.sign_out"]
    sign_in, sign_out = events
    assert sign_in.actor == case_manager and sign_in.object_id == str(case_manager.pk)
    assert sign_in.request_id  # the request's id, for matching with logs
    assert sign_out.agency == case_manager.membership.agency
    assert sign_out.role == Role.CASE_MANAGER


def test_a_wrong_password_for_an_existing_account_names_the_account(case_manager):
    start = last_sequence()
    Client().post(LOGIN, {"username": case_manager.username, "password": "not the password at all"})
    (event,) = events_since(start)
    assert (event.action, event.actor) == ("auth.sign_in_failed", None)
    assert (event.object_type, event.object_id) == ("user", str(case_manager.pk))


def test_an_unknown_username_is_not_stored(db):
    typed = "Mariam Haile-Selassie"  # might be anyone's real name
    start = last_sequence()
    Client().post(LOGIN, {"username": typed, "password": "whatever it was"})
    (event,) = events_since(start)
    assert event.action == "auth.sign_in_failed"
    assert (event.object_type, event.object_id, event.reason) == ("", "", "")
    stored = " ".join(str(getattr(event, f.attname)) for f in AuditEvent._meta.concrete_fields)
    assert "Mariam" not in stored


def test_a_wrong_second_factor_is_recorded(case_manager):
    client = Client()
    client.post(LOGIN, {"username": case_manager.username, "password": case_manager.raw_password})
    start = last_sequence()
    client.post(TWO_FACTOR, {"token": "000000"})
    (event,) = events_since(start)
    assert (event.action, event.actor, event.tier) == ("auth.two_factor_failed", case_manager, 0)
