"""`seed_demo` and `demo_otp`: idempotent, and its printed two-factor code lets a demo user in."""

from __future__ import annotations

import datetime
import io

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from palermo.accounts.models import Agency, Membership, User
from palermo.accounts.roles import Role
from palermo.audit.models import AuditEvent
from palermo.cases.models import Case, Phase
from palermo.demo import areas, history
from palermo.demo.accounts import DEMO_AGENCIES, DEMO_USERS

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _demo_var_dir(settings, tmp_path):
    settings.VAR_DIR = tmp_path


def counts() -> dict[str, int]:
    return {
        "agencies": Agency.objects.count(),
        "users": User.objects.count(),
        "memberships": Membership.objects.count(),
        "devices": TOTPDevice.objects.count(),
    }


def seed() -> str:
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


def demo_otp(username: str) -> str:
    out = io.StringIO()
    call_command("demo_otp", username, stdout=out)
    return out.getvalue().strip()


def test_seed_demo_is_idempotent():
    first_output = seed()
    after_first = counts()
    # The demo users, and the colleague the agency administrator invited (no second factor yet).
    assert after_first == {
        "agencies": len(DEMO_AGENCIES),
        "users": len(DEMO_USERS) + 1,
        "memberships": len(DEMO_USERS) + 1,
        "devices": len(DEMO_USERS),
    }
    second_output = seed()
    assert counts() == after_first
    assert first_output == second_output  # same password, same logins


def test_every_role_has_a_demo_login():
    assert {role for _, role, _ in DEMO_USERS} == set(Role)


def test_demo_otp_prints_a_code_that_lets_the_demo_user_in(settings, tmp_path):
    seed()
    password = (tmp_path / "demo_password").read_text(encoding="utf-8").strip()
    assert (tmp_path / "demo_password").stat().st_mode & 0o777 == 0o600
    client = Client()
    response = client.post(reverse("accounts:login"), {"username": "demo.casemanager", "password": password})
    assert response["Location"] == reverse("accounts:two_factor")
    code = demo_otp("demo.casemanager")
    assert len(code) == 6 and code.isdigit()
    response = client.post(reverse("accounts:two_factor"), {"token": code})
    assert response.status_code == 302
    assert client.get(response["Location"]).context["role"] == Role.CASE_MANAGER


def test_demo_otp_refuses_accounts_that_are_not_demo_accounts(case_manager):
    with pytest.raises(CommandError):
        demo_otp(case_manager.username)


def test_seed_demo_gives_each_case_to_its_areas_in_its_history_and_the_rest_the_whole_demo(monkeypatch):
    received: list[tuple[str, list[int]]] = []

    def loader(label: str):
        return lambda cases, first=0: received.append((label, [case.pk for case in cases]))

    children = loader("children")
    work = (history.CaseWork("children", children, Phase.IDENTIFICATION, datetime.timedelta(days=1)),)
    monkeypatch.setattr(areas, "AREA_LOADERS", (("first", loader("first")), ("children", children)))
    monkeypatch.setattr(areas, "CASE_WORK", work)
    monkeypatch.setattr(areas, "CASE_LOADERS", frozenset({children}))
    monkeypatch.setattr(areas, "EVENTS", ())
    out = io.StringIO()
    call_command("seed_demo", "--cases", "2", stdout=out)
    pks = list(Case.objects.order_by("opened_at").values_list("pk", flat=True))
    assert len(pks) == 2
    # Each case alone to the area that works on it in its history (in the order of the history), then the
    # whole demo to the others.
    assert received == [("children", [pks[0]]), ("children", [pks[1]]), ("first", sorted(pks))]
    assert "Demo first: loaded." in out.getvalue() and "Demo children: loaded." in out.getvalue()


def test_every_case_area_with_a_demo_is_loaded_in_app_order():
    labels = [label for label, _ in areas.AREA_LOADERS]
    app_order = [config.label for config in apps.get_app_configs()]
    assert labels == sorted(labels, key=app_order.index)
    expected = {"access", "identification", "reflection", "residence", "assistance", "children", "linkage"}
    assert expected | {"origin", "justice", "returns", "statistics", "portal", "privacy"} == set(labels)


def test_the_first_load_makes_the_accounts_as_the_history_begins_so_the_audit_reads_in_time_order():
    call_command("seed_demo", "--cases", "4", stdout=io.StringIO())
    times = list(AuditEvent.objects.order_by("sequence").values_list("time", flat=True))
    assert times == sorted(times)
    first_case = Case.objects.filter(team_members__isnull=False).order_by("opened_at").first()
    grants = AuditEvent.objects.filter(action="membership.grant").values_list("time", flat=True)
    assert grants and max(grants) < first_case.opened_at
    # A later load changes the accounts today, after the history.
    call_command("seed_demo", "--cases", "4", stdout=io.StringIO())
    times = list(AuditEvent.objects.order_by("sequence").values_list("time", flat=True))
    assert times == sorted(times)
