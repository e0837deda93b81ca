"""/api/v1/audit/events/: the DPO's screen as a read-only endpoint, same filters, same scope."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from palermo.accounts.roles import AgencyType, Role
from palermo.audit.models import AuditEvent
from palermo.audit.services import audit_record
from palermo.cases.models import Case

pytestmark = [pytest.mark.django_db, pytest.mark.any_audit_action]

URL = reverse("api-audit-events")


def test_anonymous_gets_401():
    assert Client().get(URL).status_code == 401


@pytest.mark.parametrize("role", [Role.CASE_MANAGER, Role.SYSTEM_ADMINISTRATOR])
def test_other_roles_get_404(verified_client, role):
    assert verified_client(role).get(URL).status_code == 404


def test_the_dpo_lists_events_with_the_screens_filters(client_for, national_dpo, make_agency):
    case = Case.objects.create(lead_agency=make_agency())
    wanted = audit_record(actor=None, action="case.read", tier=2, case=case, reason="review")
    audit_record(actor=None, action="case.read", tier=2)
    audit_record(actor=None, action="membership.grant", tier=0, case=case)
    response = client_for(national_dpo).get(URL, {"case": case.reference, "action": "case."})
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 1
    event = body["results"][0]
    assert event["sequence"] == wanted.sequence
    assert event["case_reference"] == case.reference
    assert event["hash"] == wanted.hash
    assert event["actor"] is None and event["actor_username"] is None
    assert (event["tier"], event["reason"]) == (2, "review")


def test_the_endpoint_is_read_only(client_for, national_dpo):
    client = client_for(national_dpo)
    response = client.post(URL, {"action": "case.read", "tier": 0}, content_type="application/json")
    assert response.status_code in (403, 405)
    assert not AuditEvent.objects.filter(action="case.read").exists()


def test_invalid_filters_are_a_400(client_for, national_dpo):
    assert client_for(national_dpo).get(URL, {"since": "yesterday"}).status_code == 400


def test_an_agency_dpo_sees_only_their_scope(client_for, make_member, data_protection_officer):
    stranger = make_member(Role.CASE_MANAGER, AgencyType.NGO, two_factor=False)
    hidden = audit_record(actor=stranger, membership=stranger.membership, action="case.read", tier=2)
    response = client_for(data_protection_officer).get(URL, {"action": "case.read"})
    assert hidden.sequence not in [e["sequence"] for e in response.json()["results"]]


@pytest.mark.parametrize("count", [5, 60])
def test_constant_queries(client_for, national_dpo, django_assert_num_queries, count):
    client = client_for(national_dpo)
    for _ in range(count):
        audit_record(actor=national_dpo, membership=national_dpo.membership, action="system.check", tier=0)
    with django_assert_num_queries(6):
        response = client.get(URL)
    assert len(response.json()["results"]) == 50 if count == 60 else response.json()["count"]


def test_the_openapi_schema_documents_the_endpoint_and_its_filters(client_for, national_dpo):
    response = client_for(national_dpo).get(reverse("api-schema"), {"format": "json"})
    operation = response.json()["paths"]["/api/v1/audit/events/"]["get"]
    names = {parameter["name"] for parameter in operation["parameters"]}
    assert {"case", "user", "action", "since", "until", "page"} <= names
