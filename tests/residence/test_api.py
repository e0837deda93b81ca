"""The residence API: lodging, deciding (400 on a refusal resting on non-cooperation under the paper, 400 on
a permit shorter than the minimum), appeal, assessment, permits and the status rows; the migration officer on
the team granting and refusing with reasons (T2) but never seeing nor writing T4 (assessment findings, grounds
of appeal; a child's views it states itself: test_child_views); T3 null without it; 409 on a stale
version; 404 for outsiders; a list whose queries do not grow with the records."""

from __future__ import annotations

import pytest
from django.urls import reverse

from palermo.accounts.roles import Role
from palermo.audit.models import AuditEvent
from palermo.residence.models import Application, ApplicationStatus, Decision
from tests.api.errors import api_error, error_text
from tests.queries import Queries
from tests.residence.conftest import REASONS, appeal_refusal, assess, days_ago, decide, lodge

pytestmark = pytest.mark.django_db

JSON = "application/json"


def api(name, case, *args):
    return reverse(f"api-residence-{name}", args=[case.reference, *args])


def test_lodge_decide_and_read_through_the_api(team_case, manager, client_for):
    client = client_for(manager)
    created = client.post(
        api("applications", team_case),
        {"kind": "temporary", "authority": "Immigration Office", "lodged_on": days_ago(2).isoformat()},
        content_type=JSON,
    )
    assert created.status_code == 201
    body = created.json()
    assert (body["status"], body["version"], body["decision_due_on"]) == (
        "pending",
        1,
        days_ago(-58).isoformat(),
    )
    pk = body["id"]
    decided = client.post(
        api("decision", team_case, pk),
        {"outcome": "granted", "reasons": REASONS, "expected_version": 1},
        content_type=JSON,
    )
    assert decided.status_code == 200
    decision = decided.json()["decisions"][0]
    assert decision["reasons"] == REASONS and decision["permit"]["allows_work"] is True
    stale = client.post(
        api("decision", team_case, pk),
        {"outcome": "granted", "reasons": REASONS, "expected_version": 1},
        content_type=JSON,
    )
    current = api_error(stale, 409, "stale")["current"]
    assert current["version"] == 2 and current["record"]["status"] == "granted"
    permits = client.get(api("permits", team_case)).json()
    assert len(permits) == 1 and permits[0]["kind"] == "temporary"
    rows = client.get(api("status", team_case)).json()
    assert {row["lane"] for row in rows} == {"Residence applications", "Permits"}


def test_a_refusal_on_non_cooperation_answers_400_under_the_paper(team_case, manager, client_for, settings):
    application = lodge(manager, team_case)
    client = client_for(manager)
    data = {
        "outcome": "refused",
        "refusal_ground": "non_cooperation",
        "reasons": "Assessed.",
        "expected_version": 1,
    }
    refused = client.post(api("decision", team_case, application.pk), data, content_type=JSON)
    assert "non-cooperation" in error_text(api_error(refused, 400, "invalid"))
    assert not Decision.objects.exists()
    settings.PALERMO_RULEBOOK = "coe-cets197"
    allowed = client.post(api("decision", team_case, application.pk), data, content_type=JSON)
    assert allowed.status_code == 200 and allowed.json()["status"] == "refused"


def test_a_short_permit_answers_400(team_case, manager, client_for):
    application = lodge(manager, team_case)
    data = {
        "outcome": "granted",
        "reasons": REASONS,
        "valid_to": days_ago(-90).isoformat(),
        "expected_version": 1,
    }
    response = client_for(manager).post(api("decision", team_case, application.pk), data, content_type=JSON)
    assert "at least 6 months" in error_text(api_error(response, 400, "invalid"))
    assert Application.objects.get(pk=application.pk).status == ApplicationStatus.PENDING


FINDINGS = {
    "retaliation_risk": "present",
    "prosecution_risk": "absent",
    "poor_inclusion_prospects": "present",
    "no_support_services": "unknown",
    "children_present": "absent",
    "refoulement_risk": "present",
}


def test_appeal_and_assessment_through_the_api(team_case, manager, client_for):
    application = lodge(manager, team_case, "humanitarian")
    client = client_for(manager)
    assessed = client.put(
        api("assessment", team_case, application.pk),
        {**FINDINGS, "notes": "Threats by phone."},
        content_type=JSON,
    )
    assert assessed.status_code == 200 and assessed.json()["assessment"]["retaliation_risk"] == "present"
    assert assessed.json()["assessment_progress"]["answered"] == 5
    decide(manager, application, "refused", refusal_ground="safe_return")
    appealed = client.post(
        api("appeal", team_case, application.pk),
        {"body": "Administrative Court", "grounds": "Risk not weighed.", "expected_version": 2},
        content_type=JSON,
    )
    assert appealed.status_code == 200 and appealed.json()["status"] == "appealed"
    assert appealed.json()["appeals"][0]["grounds"] == "Risk not weighed."


def test_the_migration_officer_grants_and_refuses_through_the_api(team_case, officer, client_for):
    client = client_for(officer)
    created = client.post(
        api("applications", team_case),
        {"kind": "temporary", "authority": "Immigration Office"},
        content_type=JSON,
    )
    assert created.status_code == 201
    granted = client.post(
        api("decision", team_case, created.json()["id"]),
        {"outcome": "granted", "reasons": REASONS, "expected_version": 1},
        content_type=JSON,
    )
    assert granted.status_code == 200 and granted.json()["status"] == "granted"
    decision = granted.json()["decisions"][0]
    assert (decision["reasons"], decision["decided_by"]) == (REASONS, officer.pk)
    assert decision["permit"]["kind"] == "temporary"
    pending = lodge(officer, team_case, "asylum")
    refusal = {"outcome": "refused", "reasons": "Assessed.", "expected_version": 1}
    on_cooperation = client.post(
        api("decision", team_case, pending.pk),
        {**refusal, "refusal_ground": "non_cooperation"},
        content_type=JSON,
    )
    assert "non-cooperation" in error_text(api_error(on_cooperation, 400, "invalid"))
    refused = client.post(
        api("decision", team_case, pending.pk),
        {**refusal, "refusal_ground": "not_eligible"},
        content_type=JSON,
    )
    assert refused.status_code == 200 and refused.json()["decisions"][0]["refusal_ground"] == "not_eligible"
    assert Decision.objects.filter(decided_by=officer).count() == 2


def _humanitarian_refused_on_appeal(manager, officer, case):
    """A humanitarian application assessed by the case manager, refused by the officer, then appealed."""
    application = lodge(manager, case, "humanitarian")
    findings = {"retaliation_risk": "present", "refoulement_risk": "absent"}
    assess(manager, application, findings, "Threats against the family by phone.")
    decide(
        officer, application, "refused", refusal_ground="safe_return", reasons="Safe return found possible."
    )
    appeal_refusal(manager, application, grounds="The risk of retaliation was not weighed.")
    return application


def test_t4_is_null_for_the_migration_officer_and_t2_is_not(team_case, manager, officer, client_for):
    application = _humanitarian_refused_on_appeal(manager, officer, team_case)
    client = client_for(officer)
    body = client.get(api("application", team_case, application.pk)).json()
    assert body["assessment"] is None and body["appeals"][0]["grounds"] is None
    progress = body["assessment_progress"]
    assert (progress["answered"], progress["total"], progress["complete"]) == (2, 6, False)
    assert body["decisions"][0]["reasons"] == "Safe return found possible."
    assert body["appeals"][0]["body"] == "Administrative Court"
    reads = AuditEvent.objects.filter(case=team_case, action="residence.read", actor=officer)
    assert list(reads.values_list("tier", flat=True)) == [2]
    assessed = client.put(
        api("assessment", team_case, application.pk), {**FINDINGS, "expected_version": 1}, content_type=JSON
    )
    api_error(assessed, 404, "not_found")
    rows = client.get(api("status", team_case)).json()  # the legal-status picture is T1: theirs too
    assert {row["lane"] for row in rows} == {"Residence applications"}
    mine = client_for(manager).get(api("application", team_case, application.pk)).json()
    assert mine["assessment"]["notes"] == "Threats against the family by phone."
    assert mine["appeals"][0]["grounds"] == "The risk of retaliation was not weighed."
    decided = client.post(
        api("decision", team_case, application.pk),
        {"outcome": "granted", "reasons": "Risk on return established.", "expected_version": 3},
        content_type=JSON,
    )
    assert decided.status_code == 200 and decided.json()["decisions"][1]["appeal"] is not None


def test_t3_is_null_without_it(make_case, manager, officer, client_for):
    case = make_case(team=(manager, officer))
    application = lodge(manager, case, "resettlement", destination_country="CA")
    decide(manager, application)
    body = client_for(officer).get(api("application", case, application.pk)).json()
    assert body["destination_country"] is None and body["decisions"][0]["reasons"] == REASONS
    mine = client_for(manager).get(api("application", case, application.pk)).json()
    assert mine["destination_country"] == "CA"


@pytest.mark.parametrize("role", [Role.CASE_MANAGER, Role.MIGRATION_OFFICER])
def test_outsiders_get_404(team_case, manager, make_member, client_for, role):
    application = lodge(manager, team_case)
    client = client_for(make_member(role))
    assert client.get(api("applications", team_case)).status_code == 404
    assert client.get(api("application", team_case, application.pk)).status_code == 404
    assert client.get(api("permits", team_case)).status_code == 404
    assert client.get(api("status", team_case)).status_code == 404
    response = client.post(
        api("withdraw", team_case, application.pk), {"expected_version": 1}, content_type=JSON
    )
    assert response.status_code == 404
    decided = client.post(
        api("decision", team_case, application.pk),
        {"outcome": "granted", "reasons": REASONS, "expected_version": 1},
        content_type=JSON,
    )
    assert decided.status_code == 404
    assert Application.objects.get(pk=application.pk).status == ApplicationStatus.PENDING


def _list_queries(client, case):
    with Queries() as queries:
        response = client.get(api("applications", case))
    assert response.status_code == 200
    return len(queries), len(response.json())


@pytest.mark.parametrize("count", [2, 6])
def test_the_list_costs_the_same_queries(team_case, manager, client_for, count, django_assert_num_queries):
    client = client_for(manager)
    for index in range(count):
        application = lodge(manager, team_case, "asylum" if index % 2 else "temporary")
        decide(manager, application)
    queries, rows = _list_queries(client, team_case)
    assert rows == count
    lodge(manager, team_case, "humanitarian")
    decide(manager, lodge(manager, team_case), "refused", refusal_ground="other")
    assert _list_queries(client, team_case) == (queries, count + 2)
