"""The DPO's audit screen: who may open it, its filters, pages, constant queries, and the CSV export."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from palermo.access.models import CaseTeamMember
from palermo.accounts.roles import AgencyType, Role
from palermo.audit.models import AuditEvent
from palermo.audit.services import audit_record
from palermo.cases.models import Case

pytestmark = [pytest.mark.django_db, pytest.mark.any_audit_action]

EVENTS = reverse("audit:events")
EXPORT = reverse("audit:export")


def rows(response) -> list[str]:
    """The sequence numbers shown in the table, in order."""
    html = response.content.decode()
    body = html.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    return [cell.split("</td>", 1)[0] for cell in body.split("<tr>\n      <td>")[1:]]


def system_events(count: int, **fields) -> list[AuditEvent]:
    fields.setdefault("action", "system.check")
    return [audit_record(actor=None, tier=0, **fields) for _ in range(count)]


def test_the_dpo_opens_the_screen_with_labelled_filters(client_for, national_dpo):
    response = client_for(national_dpo).get(EVENTS)
    assert response.status_code == 200
    html = response.content.decode()
    for name in ("case", "user", "action", "since", "until"):
        assert f'<label class="form-label" for="id_{name}">' in html
    assert html.count('<th scope="col">') == 9
    assert reverse("audit:events") in html  # the navigation entry


@pytest.mark.parametrize("role", [Role.CASE_MANAGER, Role.SYSTEM_ADMINISTRATOR, Role.RAPPORTEUR])
def test_other_roles_get_404(verified_client, role):
    client = verified_client(role)
    assert client.get(EVENTS).status_code == 404
    assert client.get(EXPORT).status_code == 404
    assert reverse("audit:events") not in client.get(reverse("core:home")).content.decode()


@pytest.mark.parametrize("count", [5, 60])
def test_the_list_costs_the_same_queries_for_5_or_60_events(
    client_for, national_dpo, django_assert_num_queries, count
):
    client = client_for(national_dpo)
    system_events(count)
    # session, user, OTP device, memberships, count, page of events.
    with django_assert_num_queries(6):
        response = client.get(EVENTS)
    assert response.status_code == 200
    assert len(rows(response)) == min(AuditEvent.objects.count(), 50)


def test_pages_hold_50_events_newest_first(client_for, national_dpo):
    client = client_for(national_dpo)
    events = system_events(60, action="system.page")
    first = client.get(EVENTS, {"action": "system.page"})
    second = client.get(EVENTS, {"action": "system.page", "page": 2})
    assert rows(first) == [str(e.sequence) for e in reversed(events[10:])]
    assert rows(second) == [str(e.sequence) for e in reversed(events[:10])]
    assert "action=system.page" in first.content.decode().split('class="pagination"', 1)[1]


def test_filter_by_case_reference(client_for, national_dpo, make_agency):
    case, other = (
        Case.objects.create(lead_agency=make_agency()),
        Case.objects.create(lead_agency=make_agency()),
    )
    wanted = audit_record(actor=None, action="case.read", tier=2, case=case)
    audit_record(actor=None, action="case.read", tier=2, case=other)
    response = client_for(national_dpo).get(EVENTS, {"case": case.reference.lower()})
    assert rows(response) == [str(wanted.sequence)]
    assert case.reference in response.content.decode()


def test_filter_by_user_finds_their_acts_and_their_account(client_for, national_dpo, make_member):
    worker = make_member(Role.CASE_MANAGER, two_factor=False)
    acted = audit_record(actor=worker, membership=worker.membership, action="case.read", tier=2)
    about = audit_record(
        actor=None, action="auth.sign_in_failed", tier=0, object_type="user", object_id=worker.pk
    )
    audit_record(actor=national_dpo, action="case.read", tier=2)
    response = client_for(national_dpo).get(EVENTS, {"user": worker.username, "since": "2000-01-01"})
    shown = rows(response)
    assert str(acted.sequence) in shown
    assert str(about.sequence) in shown
    assert all(AuditEvent.objects.get(sequence=s).actor_id in (worker.pk, None) for s in shown)


def test_filter_by_action_or_its_prefix(client_for, national_dpo):
    read = audit_record(actor=None, action="case.read", tier=2)
    edit = audit_record(actor=None, action="case.edit", tier=2)
    audit_record(actor=None, action="membership.grant", tier=0)
    client = client_for(national_dpo)
    assert rows(client.get(EVENTS, {"action": "case.read"})) == [str(read.sequence)]
    assert rows(client.get(EVENTS, {"action": "case."})) == [str(edit.sequence), str(read.sequence)]


def test_filter_by_time_range_includes_whole_days(client_for, national_dpo, record_at):
    before = record_at(datetime(2030, 3, 31, 23, 59, tzinfo=UTC), actor=None, action="system.t", tier=0)
    first = record_at(datetime(2030, 4, 1, 0, 0, tzinfo=UTC), actor=None, action="system.t", tier=0)
    last = record_at(datetime(2030, 4, 2, 23, 59, 59, tzinfo=UTC), actor=None, action="system.t", tier=0)
    after = record_at(datetime(2030, 4, 3, 0, 0, tzinfo=UTC), actor=None, action="system.t", tier=0)
    response = client_for(national_dpo).get(EVENTS, {"since": "2030-04-01", "until": "2030-04-02"})
    shown = rows(response)
    assert shown == [str(last.sequence), str(first.sequence)]
    assert str(before.sequence) not in shown and str(after.sequence) not in shown


def test_an_invalid_filter_shows_the_error_and_no_events(client_for, national_dpo):
    system_events(2)
    response = client_for(national_dpo).get(EVENTS, {"since": "not a date"})
    assert response.status_code == 200
    assert rows(response) == []
    assert 'id="id_since_error"' in response.content.decode()


def test_an_agency_dpo_sees_their_agency_and_its_cases_only(
    client_for, make_member, make_agency, data_protection_officer
):
    dpo = data_protection_officer
    own_agency = dpo.membership.agency
    colleague = make_member(Role.CASE_MANAGER, agency=own_agency, two_factor=False)
    stranger = make_member(Role.CASE_MANAGER, AgencyType.NGO, two_factor=False)
    own_case = Case.objects.create(lead_agency=own_agency)
    other_case = Case.objects.create(lead_agency=stranger.membership.agency)
    visible = [
        audit_record(actor=colleague, membership=colleague.membership, action="case.read", tier=2),
        audit_record(
            actor=stranger, membership=stranger.membership, action="case.read", tier=2, case=own_case
        ),
        audit_record(actor=colleague, action="auth.sign_out", tier=0),
        audit_record(
            actor=None, action="auth.sign_in_failed", tier=0, object_type="user", object_id=colleague.pk
        ),
    ]
    hidden = [
        audit_record(
            actor=stranger, membership=stranger.membership, action="case.read", tier=2, case=other_case
        ),
        audit_record(actor=stranger, action="auth.sign_out", tier=0),
        audit_record(
            actor=None, action="auth.sign_in_failed", tier=0, object_type="user", object_id=stranger.pk
        ),
    ]
    shown = rows(client_for(dpo).get(EVENTS, {"since": "2000-01-01"}))
    assert {str(e.sequence) for e in visible} <= set(shown)
    assert not {str(e.sequence) for e in hidden} & set(shown)


def test_an_agency_dpo_also_sees_cases_their_agency_was_on_the_team_of(
    client_for, make_member, data_protection_officer
):
    dpo = data_protection_officer
    stranger = make_member(Role.CASE_MANAGER, AgencyType.NGO, two_factor=False)
    lead = stranger.membership.agency
    team_case = Case.objects.create(lead_agency=lead)
    former_team_case = Case.objects.create(lead_agency=lead)
    unrelated_case = Case.objects.create(lead_agency=lead)
    now = timezone.now()
    CaseTeamMember.objects.create(case=team_case, agency=dpo.membership.agency, reason="r", added_at=now)
    CaseTeamMember.objects.create(
        case=former_team_case, agency=dpo.membership.agency, reason="r", added_at=now, removed_at=now
    )
    read = {
        case: audit_record(
            actor=stranger, membership=stranger.membership, action="case.read", tier=2, case=case
        )
        for case in (team_case, former_team_case, unrelated_case)
    }
    shown = set(rows(client_for(dpo).get(EVENTS, {"since": "2000-01-01"})))
    assert str(read[team_case].sequence) in shown
    assert str(read[former_team_case].sequence) in shown
    assert str(read[unrelated_case].sequence) not in shown


def test_export_streams_the_filtered_events_as_csv_and_is_itself_audited(
    client_for, national_dpo, make_member
):
    worker = make_member(Role.CASE_MANAGER, two_factor=False)
    wanted = system_events(3, action="system.export", reason="=HYPERLINK(x)")
    system_events(2, action="system.other")
    client = client_for(national_dpo)
    response = client.get(EXPORT, {"action": "system.export", "user": worker.username})
    assert response.status_code == 200
    assert response.streaming
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    table = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert table[0][:3] == ["sequence", "time", "actor_id"]
    assert table[1:] == []  # the user filter excludes system events

    response = client.get(EXPORT, {"action": "system.export"})
    table = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert [row[0] for row in table[1:]] == [str(e.sequence) for e in reversed(wanted)]
    assert {row[11] for row in table[1:]} == {"'=HYPERLINK(x)"}  # formulas neutralised

    exports = AuditEvent.objects.filter(action="audit.export", actor=national_dpo).order_by("sequence")
    assert [e.reason for e in exports] == [
        f"filters: action=system.export, user_id={worker.pk}",
        "filters: action=system.export",
    ]
    assert all(worker.username not in e.reason for e in exports)
    assert exports[0].agency == national_dpo.membership.agency
    assert exports[0].role == Role.DATA_PROTECTION_OFFICER


def test_export_refuses_invalid_filters_without_recording(client_for, national_dpo):
    """The DPO gets the log's page back with the error summary and the field's message, not a bare refusal."""
    system_events(2)
    response = client_for(national_dpo).get(EXPORT, {"until": "31/31/2030"})
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/html")
    page = response.content.decode()
    assert 'id="error-summary"' in page and 'id="id_until_error"' in page
    assert f'<form method="get" action="{EVENTS}"' in page  # corrected filters list, not download
    assert rows(response) == []
    assert not AuditEvent.objects.filter(action="audit.export").exists()


def test_the_tier_of_each_event_is_said_in_words(client_for, national_dpo):
    audit_record(actor=None, tier=2, action="person.read")
    audit_record(actor=None, tier=4, action="note.read")
    html = client_for(national_dpo).get(EVENTS).content.decode()
    body = html.split("<tbody>", 1)[1]
    assert "<td>Identity</td>" in body and "<td>The person&#x27;s story and health</td>" in body
    assert "<td>T2</td>" not in body and "<td>T4</td>" not in body
