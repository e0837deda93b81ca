"""The access API: the same services and answers as the screens, described in the OpenAPI schema."""

from __future__ import annotations

import pytest
from django.urls import reverse

from palermo.access.models import BreakGlassGrant, CaseTeamMember
from palermo.access.services import break_glass_open
from palermo.accounts.roles import AgencyType, Role
from palermo.audit.models import AuditEvent
from tests.api.errors import api_error
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db

REASON = "Victim called the hotline from an unknown place, needs protection"
NEUTRAL = "No case with that reference is available to you."


def test_opening_emergency_access(team_case, make_member, client_for):
    case, _ = team_case()
    officer = make_member(Role.PROTECTION_OFFICER)
    response = client_for(officer).post(
        reverse("api-break-glass-open"),
        {"case_reference": case.reference, "reason": REASON},
        content_type="application/json",
    )
    assert response.status_code == 201
    grant = BreakGlassGrant.objects.get()
    assert response.json()["id"] == grant.pk and response.json()["case_reference"] == case.reference


def test_missing_and_refused_are_the_same_404(team_case, make_member, client_for):
    adult_case, _ = team_case(is_child=False)
    client = client_for(make_member(Role.GUARDIAN))
    answers = [
        client.post(
            reverse("api-break-glass-open"),
            {"case_reference": reference, "reason": REASON},
            content_type="application/json",
        )
        for reference in (adult_case.reference, "NRM-ZZZZ-ZZZZ")
    ]
    assert [a.status_code for a in answers] == [404, 404]
    assert api_error(answers[0], 404, "not_found") == api_error(answers[1], 404, "not_found")
    assert AuditEvent.objects.filter(action="break_glass.refused").count() == 2


def test_a_short_reason_is_a_400(team_case, make_member, client_for):
    case, _ = team_case()
    response = client_for(make_member(Role.INVESTIGATOR)).post(
        reverse("api-break-glass-open"),
        {"case_reference": case.reference, "reason": "now"},
        content_type="application/json",
    )
    assert "reason" in api_error(response, 400, "invalid")["fields"]


@pytest.mark.parametrize("role", [Role.RAPPORTEUR, Role.SYSTEM_ADMINISTRATOR], ids=str)
def test_the_rapporteur_and_the_administrator_cannot_reach_it(role, team_case, make_member, client_for):
    case, _ = team_case()
    response = client_for(make_member(role)).post(
        reverse("api-break-glass-open"),
        {"case_reference": case.reference, "reason": REASON},
        content_type="application/json",
    )
    assert response.status_code == 404 and not BreakGlassGrant.objects.exists()


def test_the_dpo_lists_and_reviews_grants(team_case, make_member, client_for):
    case, _ = team_case()
    PersonFactory(case=case)
    opener = make_member(Role.CASE_MANAGER)
    grant = break_glass_open(actor=opener, membership=opener.membership, case=case, reason=REASON)
    client = client_for(make_member(Role.DATA_PROTECTION_OFFICER, AgencyType.RAPPORTEUR))
    listed = client.get(reverse("api-break-glass-grants")).json()["results"]
    assert [(g["id"], g["username"], g["case_reference"], g["reviewed"]) for g in listed] == [
        (grant.pk, opener.username, case.reference, False)
    ]
    assert listed[0]["opened"] == [], "nothing read yet"
    client_for(opener).get(reverse("api-case-persons", args=[case.reference]))
    opened = client.get(reverse("api-break-glass-grants")).json()["results"][0]["opened"]
    assert {"section": "person", "tier": "T4"} in opened, "the person record, its health note included"
    assert all(read["tier"] != "T3" for read in opened), "a case manager's emergency never shows location"
    reviewed = client.post(reverse("api-break-glass-review", args=[grant.pk]))
    assert reviewed.status_code == 200 and reviewed.json()["reviewed"] is True
    again = client.post(reverse("api-break-glass-review", args=[grant.pk]))
    assert again.status_code == 400
    assert client.post(reverse("api-break-glass-review", args=[grant.pk + 1000])).status_code == 404


def test_the_case_team_through_the_api(team_case, make_member, make_agency, client_for):
    case, manager = team_case(two_factor=True)
    client = client_for(manager)
    url = reverse("api-case-team", args=[case.reference])
    assert [e["agency"] for e in client.get(url).json()] == [case.lead_agency_id]
    shelter = make_agency(AgencyType.SHELTER)
    added = client.post(
        url, {"agency": shelter.pk, "reason": "accommodation"}, content_type="application/json"
    )
    assert added.status_code == 201 and shelter.pk in [e["agency"] for e in added.json()]
    duplicate = client.post(url, {"agency": shelter.pk, "reason": "again"}, content_type="application/json")
    assert duplicate.status_code == 400
    removed = client.post(
        reverse("api-case-team-remove", args=[case.reference]),
        {"agency": shelter.pk, "reason": "moved out"},
        content_type="application/json",
    )
    assert removed.status_code == 200 and shelter.pk not in [e["agency"] for e in removed.json()]
    assert CaseTeamMember.objects.filter(case=case, agency=shelter, removed_at__isnull=False).exists()


def test_the_team_is_missing_for_outsiders_and_unchangeable_for_non_managers(
    team_case, make_member, client_for
):
    case, _ = team_case()
    url = reverse("api-case-team", args=[case.reference])
    assert client_for(make_member(Role.CASE_MANAGER)).get(url).status_code == 404
    officer = make_member(Role.INVESTIGATOR, agency=case.lead_agency)
    CaseTeamMember.objects.filter(case=case).update(user=None)  # the lead agency as a whole is on the team
    client = client_for(officer)
    assert client.get(url).status_code == 200
    body = {"agency": officer.membership.agency.pk, "reason": "x"}
    assert client.post(url, body, content_type="application/json").status_code == 404


def test_the_schema_describes_the_access_endpoints(make_member, client_for):
    schema = client_for(make_member(Role.CASE_MANAGER)).get(reverse("api-schema") + "?format=json").json()
    paths = schema["paths"]
    assert "/api/v1/access/break-glass/" in paths
    assert set(paths["/api/v1/access/break-glass/"]["post"]["responses"]) >= {"201", "400", "404"}
    assert "/api/v1/access/break-glass/grants/" in paths
    assert "/api/v1/access/break-glass/grants/{grant_id}/review/" in paths
    assert "/api/v1/access/cases/{reference}/team/" in paths
