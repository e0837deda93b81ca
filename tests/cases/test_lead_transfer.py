"""Handing a case's lead to another agency: with a reason and the version read, by the lead agency's team
managers only (404 for anyone else, at both doors), on the timeline and the audit record, the reason
encrypted, the new lead on the team and told."""

from __future__ import annotations

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.urls import reverse
from django.utils.html import escape

from palermo.access.models import CaseTeamMember
from palermo.accounts.roles import AgencyType, Role
from palermo.audit.models import AuditEvent
from palermo.cases.models import Case, CaseEvent, EventKind, LeadTransfer
from palermo.cases.services.lead import case_lead_transfer
from palermo.core.concurrency import StaleEdit
from tests.api.errors import api_error
from tests.cases.casework import htmx, make_case, put_on_team
from tests.worker import IMMEDIATE_TASKS

pytestmark = pytest.mark.django_db
REASON = "The person moved; the social services of the new town take over the case."


@pytest.fixture
def case(manager):
    case = make_case(manager.membership.agency)
    put_on_team(case, manager)
    return case


@pytest.fixture
def successor(make_agency):
    return make_agency(AgencyType.SOCIAL_SERVICES)


def transfer(user, case, agency, **kwargs):
    kwargs.setdefault("expected_version", case.version)
    kwargs.setdefault("reason", REASON)
    return case_lead_transfer(actor=user, membership=user.membership, case=case, agency=agency, **kwargs)


def test_the_lead_changes_hands_on_the_record_and_the_new_lead_is_told(
    manager, case, successor, make_member, make_user, settings, django_capture_on_commit_callbacks
):
    settings.TASKS = IMMEDIATE_TASKS
    colleague = make_member(Role.CASE_MANAGER, agency=successor, user=make_user(email="next@example.org"))
    former = case.lead_agency
    with django_capture_on_commit_callbacks(execute=True):
        moved = transfer(manager, case, successor)
    moved.refresh_from_db()
    assert (moved.lead_agency, moved.version) == (successor, 2)
    record = LeadTransfer.objects.get(case=case)
    assert (record.from_agency, record.to_agency, record.transferred_by) == (former, successor, manager)
    assert record.reason == REASON
    with connection.cursor() as cursor:  # the reason is stored encrypted, never in clear
        cursor.execute("SELECT reason FROM cases_leadtransfer WHERE id = %s", [record.pk])
        assert REASON not in str(cursor.fetchone()[0])
    event = CaseEvent.objects.get(case=case, object_type="lead_transfer")
    assert event.kind == EventKind.TEAM and former.name in event.summary and successor.name in event.summary
    audit = AuditEvent.objects.get(action="case.lead_transfer", case=case)
    assert REASON not in audit.reason and audit.actor == manager
    # The new lead joins the team as a whole; the former lead stays on it.
    active = CaseTeamMember.objects.filter(case=case, removed_at__isnull=True, user__isnull=True)
    assert {entry.agency for entry in active} == {former, successor}
    assert [message.to for message in mail.outbox] == [[colleague.email]]
    assert case.reference in mail.outbox[0].subject and REASON not in mail.outbox[0].body


def test_only_the_lead_agency_s_team_managers_hand_it_on(case, successor, make_member):
    elsewhere = make_member(Role.CASE_MANAGER)
    put_on_team(case, elsewhere)  # on the team, but not of the lead agency
    with pytest.raises(PermissionDenied):
        transfer(elsewhere, case, successor)
    # Of the lead agency (on the team as a whole), but a role that does not manage the team.
    investigator = make_member(Role.INVESTIGATOR, agency=case.lead_agency)
    with pytest.raises(PermissionDenied):
        transfer(investigator, case, successor)
    assert Case.objects.get(pk=case.pk).lead_agency_id != successor.pk


def test_a_reason_an_active_other_agency_and_a_fresh_version_are_needed(
    manager, case, successor, make_agency
):
    with pytest.raises(ValidationError):
        transfer(manager, case, successor, reason="  ")
    with pytest.raises(ValidationError):
        transfer(manager, case, case.lead_agency)
    successor.is_active = False
    successor.save(update_fields=["is_active"])
    with pytest.raises(ValidationError):
        transfer(manager, case, successor)
    with pytest.raises(StaleEdit):
        transfer(manager, case, make_agency(), expected_version=case.version + 5)
    assert not LeadTransfer.objects.exists()


# --- the page: a form on the team section, then a confirmation ---


def test_the_form_asks_for_confirmation_before_anything_changes(client_for, manager, case, successor):
    client = client_for(manager)
    form = client.get(reverse("cases:form", args=[case.reference, "lead"]), **htmx())
    assert form.status_code == 200 and successor.name in form.content.decode()
    url = reverse("cases:lead_transfer", args=[case.reference])
    answers = {"agency": successor.pk, "reason": REASON, "version": case.version}
    asked = client.post(url, answers, **htmx())
    page = asked.content.decode()
    assert asked.status_code == 200 and "Yes, hand the lead on" in page and successor.name in page
    assert Case.objects.get(pk=case.pk).lead_agency_id == case.lead_agency_id  # nothing yet
    done = client.post(url, {**answers, "confirmed": "yes"}, **htmx())
    assert done.status_code == 200 and done["HX-Trigger"] == "case-changed"
    assert Case.objects.get(pk=case.pk).lead_agency_id == successor.pk
    assert f"{escape(successor.name)} now leads the case" in done.content.decode()  # what happened, said


def test_the_form_refuses_a_missing_reason_with_the_error_summary(client_for, manager, case, successor):
    url = reverse("cases:lead_transfer", args=[case.reference])
    refused = client_for(manager).post(url, {"agency": successor.pk, "reason": "", "version": case.version})
    assert refused.status_code == 400
    assert "Yes, hand the lead on" not in refused.content.decode()
    assert Case.objects.get(pk=case.pk).lead_agency_id == case.lead_agency_id


def test_anyone_else_gets_404_for_the_form_and_the_post(client_for, make_member, case, successor):
    colleague = make_member(Role.CASE_MANAGER)
    put_on_team(case, colleague)
    client = client_for(colleague)
    assert client.get(reverse("cases:form", args=[case.reference, "lead"])).status_code == 404
    posted = client.post(
        reverse("cases:lead_transfer", args=[case.reference]),
        {"agency": successor.pk, "reason": REASON, "version": case.version, "confirmed": "yes"},
    )
    assert posted.status_code == 404
    assert Case.objects.get(pk=case.pk).lead_agency_id != successor.pk


def test_a_stale_confirmation_shows_the_conflict_screen(client_for, manager, case, successor):
    Case.objects.filter(pk=case.pk).update(version=case.version + 1)
    response = client_for(manager).post(
        reverse("cases:lead_transfer", args=[case.reference]),
        {"agency": successor.pk, "reason": REASON, "version": case.version, "confirmed": "yes"},
    )
    assert response.status_code == 409
    assert Case.objects.get(pk=case.pk).lead_agency_id != successor.pk


# --- the API ---


def test_api_hands_the_lead_on_with_409_when_stale_and_404_for_others(
    client_for, manager, make_member, case, successor
):
    url = reverse("api-case-lead", args=[case.reference])
    other = make_member(Role.CASE_MANAGER)
    put_on_team(case, other)
    body = {"agency": successor.pk, "reason": REASON, "expected_version": 1}
    api_error(client_for(other).post(url, body, content_type="application/json"), 404, "not_found")
    client = client_for(manager)
    missing = client.post(
        url, {"agency": successor.pk, "expected_version": 1}, content_type="application/json"
    )
    assert "reason" in api_error(missing, 400, "invalid")["fields"]
    ok = client.post(url, body, content_type="application/json")
    assert ok.status_code == 200 and ok.json()["version"] == 2
    again = client.post(url, body, content_type="application/json")
    # The manager's agency no longer leads: the lead is not theirs to hand on any more.
    api_error(again, 404, "not_found")
    assert Case.objects.get(pk=case.pk).lead_agency_id == successor.pk
