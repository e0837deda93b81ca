"""The reflection API: the period with its extensions and entitlements (reasons for T2 readers, notes for T4
readers), opening on request, extension, early end, entitlement statuses, 409 on a stale version, 404 for
outsiders."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from palermo.accounts.roles import Role
from palermo.reflection.models import Entitlement, ReflectionPeriod
from tests.api.errors import api_error
from tests.reflection.conftest import case_beside_its_lead, request_period

pytestmark = pytest.mark.django_db

REASON = "Psychological treatment has just begun."
NOTE = "Seen by the clinic for a chest infection."
JSON = "application/json"


def api(name, case, *args):
    return reverse(f"api-reflection-{name}", args=[case.reference, *args])


def test_open_read_extend_and_end_through_the_api(team_case, manager, client_for):
    client = client_for(manager)
    assert client.get(api("period", team_case)).status_code == 404
    created = client.post(api("period", team_case))
    assert created.status_code == 201
    body = created.json()
    assert body["reference"] == team_case.reference and body["opened_by"] == "request"
    assert body["days_left"] == 90 and len(body["entitlements"]) == 7
    assert client.post(api("period", team_case)).status_code == 400
    extended = client.post(
        api("extend", team_case), {"days": 20, "reason": REASON, "expected_version": 1}, content_type=JSON
    )
    assert extended.status_code == 200
    assert extended.json()["days_left"] == 110 and extended.json()["extensions"][0]["reason"] == REASON
    stale = client.post(
        api("extend", team_case), {"days": 5, "reason": REASON, "expected_version": 1}, content_type=JSON
    )
    current = api_error(stale, 409, "stale")["current"]
    assert current["version"] == 2 and current["record"]["version"] == 2
    ended = client.post(api("end", team_case), {"reason": REASON, "expected_version": 2}, content_type=JSON)
    assert ended.status_code == 200
    assert ended.json()["ended_early_on"] == timezone.localdate().isoformat()
    assert ended.json()["early_end_reason"] == REASON


def test_bad_input_answers_400_and_changes_nothing(running, manager, client_for):
    client = client_for(manager)
    case = running.case
    missing = client.post(api("extend", case), {"days": 5, "expected_version": 1}, content_type=JSON)
    assert "reason" in api_error(missing, 400, "invalid")["fields"]
    past = client.post(
        api("end", case), {"on": "2000-01-01", "reason": REASON, "expected_version": 1}, content_type=JSON
    )
    assert "last day" in api_error(past, 400, "invalid")["message"]
    running.refresh_from_db()
    assert running.version == 1


def test_entitlements_through_the_api(running, manager, client_for):
    client = client_for(manager)
    case = running.case
    listed = client.get(api("entitlements", case)).json()
    assert [item["kind"] for item in listed][:2] == ["safe_accommodation", "interpretation"]
    changed = client.patch(
        api("entitlement", case, "medical_care"),
        {"status": "provided", "note": "Seen at the clinic.", "expected_version": 1},
        content_type=JSON,
    )
    assert changed.status_code == 200
    assert (changed.json()["status"], changed.json()["note"]) == ("provided", "Seen at the clinic.")
    stale = client.patch(
        api("entitlement", case, "medical_care"), {"status": "due", "expected_version": 1}, content_type=JSON
    )
    assert stale.status_code == 409
    unknown = client.patch(
        api("entitlement", case, "housing"), {"status": "due", "expected_version": 1}, content_type=JSON
    )
    assert unknown.status_code == 404
    assert Entitlement.objects.get(period=running, kind="medical_care").status == "provided"


def test_reasons_need_t2_and_notes_t4(make_member, make_case, responder, client_for):
    officer = make_member(Role.MIGRATION_OFFICER)
    provider = make_member(Role.SERVICE_PROVIDER)
    case = make_case(team=(responder, officer, provider))
    period = request_period(responder, case)
    responder_client = client_for(responder)
    responder_client.post(
        api("extend", case), {"days": 5, "reason": REASON, "expected_version": 1}, content_type=JSON
    )
    responder_client.patch(
        api("entitlement", case, "medical_care"),
        {"status": "provided", "note": NOTE, "expected_version": 1},
        content_type=JSON,
    )
    body = client_for(officer).get(api("period", case)).json()
    assert body["extensions"][0]["reason"] == REASON and body["extensions"][0]["days"] == 5
    medical = next(item for item in body["entitlements"] if item["kind"] == "medical_care")
    assert medical["status"] == "provided" and medical["note"] is None
    assert body["ends_on"] == (period.ends_on + datetime.timedelta(days=5)).isoformat()
    notes = client_for(officer).get(api("entitlements", case)).json()
    assert [item["note"] for item in notes] == [None] * len(notes)
    provider_sees = client_for(provider).get(api("period", case)).json()
    assert provider_sees["extensions"][0]["reason"] == REASON
    refused = client_for(provider).post(
        api("end", case), {"reason": REASON, "expected_version": 2}, content_type=JSON
    )
    api_error(refused, 404, "not_found")


def test_the_migration_officer_opens_extends_and_ends_through_the_api(
    make_member, make_case, responder, client_for
):
    officer = make_member(Role.MIGRATION_OFFICER)
    case = make_case(team=(responder, officer))
    client = client_for(officer)
    assert client.post(api("period", case)).status_code == 201
    extended = client.post(
        api("extend", case), {"days": 7, "reason": REASON, "expected_version": 1}, content_type=JSON
    )
    assert extended.status_code == 200 and extended.json()["extensions"][0]["reason"] == REASON
    ended = client.post(
        api("end", case), {"reason": "Returned home.", "expected_version": 2}, content_type=JSON
    )
    assert ended.status_code == 200
    assert ended.json()["early_end_reason"] == "Returned home."
    assert ended.json()["ended_early_on"] == timezone.localdate().isoformat()
    assert ReflectionPeriod.objects.get(case=case).ended_early_by_id == officer.pk


def test_outsiders_get_404(running, make_member, client_for):
    client = client_for(make_member(Role.CASE_MANAGER))
    case = running.case
    assert client.get(api("period", case)).status_code == 404
    assert client.get(api("entitlements", case)).status_code == 404
    response = client.post(api("extend", case), {"days": 5, "reason": REASON, "expected_version": 1})
    assert response.status_code == 404
    assert ReflectionPeriod.objects.get(pk=running.pk).version == 1


def test_reasons_are_null_without_t2(responder, manager, client_for):
    case = case_beside_its_lead(responder, team=(manager,))  # the responder's agency leads, off the team
    client = client_for(manager)
    client.post(api("period", case))
    client.post(api("extend", case), {"days": 5, "reason": REASON, "expected_version": 1}, content_type=JSON)
    client.post(api("end", case), {"reason": REASON, "expected_version": 2}, content_type=JSON)
    body = client_for(responder).get(api("period", case)).json()
    assert body["extensions"][0]["days"] == 5 and body["ended_early_on"] is not None
    assert body["extensions"][0]["reason"] is None and body["early_end_reason"] is None
