"""Free text is personal data (issue 15, item 5): the reasons of team changes and of emergency access are
encrypted at rest (T2), never copied into the audit log or its export, and still shown where they are read
(the data protection officer's review of emergency access), through the pages and the API."""

from __future__ import annotations

import pytest
from django.apps import apps
from django.db import connection
from django.urls import reverse

from palermo.access.models import BreakGlassGrant, CaseTeamMember
from palermo.accounts.roles import Role
from palermo.audit.models import AuditEvent
from palermo.core.sealing import encrypt_existing
from tests.access.conftest import membership_of

pytestmark = pytest.mark.django_db

BREAK_GLASS_REASON = "Quinlan Varga missing since the raid at the depot, shelter needs her address"
TEAM_REASON = "Guardian for Quinlan Varga appointed by the family court"
REMOVAL_REASON = "Quinlan Varga moved to another region"


def raw(model, pk: int, column: str) -> str:
    table = connection.ops.quote_name(model._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {connection.ops.quote_name(column)} FROM {table} WHERE id = %s", [pk])  # noqa: S608
        return cursor.fetchone()[0]


def nowhere_in_the_audit_log(*texts: str) -> bool:
    reasons = " ".join(AuditEvent.objects.values_list("reason", flat=True))
    return not any(text in reasons for text in texts)


def test_break_glass_reason_through_the_page_is_sealed_and_shown_to_the_reviewer(
    team_case, make_member, client_for
):
    case, manager = team_case(two_factor=True)
    officer = make_member(Role.PROTECTION_OFFICER)
    response = client_for(officer).post(
        reverse("access:break_glass"), {"reference": case.reference, "reason": BREAK_GLASS_REASON}
    )
    assert response.status_code == 302
    grant = BreakGlassGrant.objects.get(case=case)
    assert grant.reason == BREAK_GLASS_REASON
    assert "Quinlan" not in raw(BreakGlassGrant, grant.pk, "reason")
    assert nowhere_in_the_audit_log("Quinlan")

    dpo = make_member(Role.DATA_PROTECTION_OFFICER, agency=membership_of(manager).agency)
    reviewer = client_for(dpo)
    assert BREAK_GLASS_REASON in reviewer.get(reverse("access:break_glass_report")).content.decode()
    grants = reviewer.get(reverse("api-break-glass-grants")).json()
    rows = grants["results"] if isinstance(grants, dict) else grants
    assert [row["reason"] for row in rows] == [BREAK_GLASS_REASON]


def test_break_glass_reason_through_the_api_is_sealed(team_case, make_member, client_for):
    case, _ = team_case()
    officer = make_member(Role.PROTECTION_OFFICER)
    response = client_for(officer).post(
        reverse("api-break-glass-open"),
        {"case_reference": case.reference, "reason": BREAK_GLASS_REASON},
        content_type="application/json",
    )
    assert response.status_code in (200, 201)
    grant = BreakGlassGrant.objects.get(case=case)
    assert "Quinlan" not in raw(BreakGlassGrant, grant.pk, "reason")
    assert nowhere_in_the_audit_log("Quinlan")


def test_team_reasons_through_the_api_are_sealed_and_kept_out_of_the_audit_export(
    team_case, make_member, client_for
):
    case, manager = team_case(two_factor=True)
    guardian_agency = membership_of(make_member(Role.GUARDIAN)).agency
    client = client_for(manager)
    url = reverse("api-case-team", args=[case.reference])
    added = client.post(
        url, {"agency": guardian_agency.pk, "reason": TEAM_REASON}, content_type="application/json"
    )
    assert added.status_code == 201
    removed = client.post(
        reverse("api-case-team-remove", args=[case.reference]),
        {"agency": guardian_agency.pk, "reason": REMOVAL_REASON},
        content_type="application/json",
    )
    assert removed.status_code == 200
    entry = CaseTeamMember.objects.get(case=case, agency=guardian_agency)
    assert (entry.reason, entry.removal_reason) == (TEAM_REASON, REMOVAL_REASON)
    assert "Quinlan" not in raw(CaseTeamMember, entry.pk, "reason")
    assert "Quinlan" not in raw(CaseTeamMember, entry.pk, "removal_reason")
    assert nowhere_in_the_audit_log("Quinlan")

    dpo = make_member(Role.DATA_PROTECTION_OFFICER, agency=membership_of(manager).agency)
    export = client_for(dpo).get(reverse("audit:export"))
    body = b"".join(export.streaming_content).decode()
    assert "case_team.add" in body and "Quinlan" not in body


def test_the_data_migration_seals_reasons_stored_in_clear(team_case, make_member):
    case, _ = team_case()
    officer = make_member(Role.PROTECTION_OFFICER)
    from palermo.access.services import break_glass_open

    grant = break_glass_open(
        actor=officer, membership=membership_of(officer), case=case, reason=BREAK_GLASS_REASON
    )
    table = connection.ops.quote_name(BreakGlassGrant._meta.db_table)
    with connection.cursor() as cursor:  # as the column held it before the migration
        cursor.execute(f"UPDATE {table} SET reason = %s WHERE id = %s", [BREAK_GLASS_REASON, grant.pk])  # noqa: S608
    assert raw(BreakGlassGrant, grant.pk, "reason") == BREAK_GLASS_REASON

    encrypt_existing("access", "BreakGlassGrant", "reason")(apps, None)
    sealed = raw(BreakGlassGrant, grant.pk, "reason")
    assert "Quinlan" not in sealed
    assert BreakGlassGrant.objects.get(pk=grant.pk).reason == BREAK_GLASS_REASON
    encrypt_existing("access", "BreakGlassGrant", "reason")(apps, None)  # a rerun changes nothing
    assert raw(BreakGlassGrant, grant.pk, "reason") == sealed
