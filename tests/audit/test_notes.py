"""Free text a person types as a reason (closing or re-opening a case, downloading a document) is personal
data (issue 15, item 5): sealed in the audit event's note, never in its reason, never on the log's page, in
its API or its export; the chain still verifies without opening it."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.urls import reverse

from palermo.accounts.roles import Role
from palermo.audit.models import AuditEvent
from palermo.audit.notes import open_note, seal_note
from palermo.audit.services import audit_record
from palermo.core.crypto import DecryptionError
from tests.cases.casework import team_case

pytestmark = [pytest.mark.django_db, pytest.mark.any_audit_action]

TYPED = "Zenobia Holloway came back to the shelter and asked for help again"


def close_and_reopen_through_the_api(client, case) -> None:
    url = reverse("api-case-transition", args=[case.reference])
    case.refresh_from_db()
    for transition, extra in (
        ("close_referred", {"closure_reason": "referred_elsewhere", "reason": "Moved abroad."}),
        ("reopen", {"reason": TYPED}),
    ):
        body = {"transition": transition, "expected_version": case.version, **extra}
        response = client.post(url, body, content_type="application/json")
        assert response.status_code == 200, response.content
        case.refresh_from_db()


def test_a_typed_reason_is_sealed_and_kept_out_of_the_log_pages_api_and_export(
    manager, make_member, client_for
):
    case = team_case(manager)
    close_and_reopen_through_the_api(client_for(manager), case)
    event = AuditEvent.objects.get(case=case, action="case.reopen")
    assert event.reason == "" and "Zenobia" not in event.note
    assert open_note(event.note, sequence=event.sequence) == TYPED

    dpo = client_for(make_member(Role.DATA_PROTECTION_OFFICER, agency=manager.membership.agency))
    page = dpo.get(reverse("audit:events")).content.decode()
    assert "case.reopen" in page and "Zenobia" not in page
    api = dpo.get(reverse("api-audit-events")).content.decode()
    assert "case.reopen" in api and "Zenobia" not in api and event.note not in api
    export = b"".join(dpo.get(reverse("audit:export")).streaming_content).decode()
    assert "case.reopen" in export and "Zenobia" not in export and event.note not in export
    call_command("audit_verify")


def test_a_note_opens_only_on_its_own_event(db):
    first = audit_record(actor=None, action="system.check", tier=0, note=TYPED)
    second = audit_record(actor=None, action="system.check", tier=0)
    assert open_note(first.note, sequence=first.sequence) == TYPED
    with pytest.raises(DecryptionError):
        open_note(first.note, sequence=second.sequence)
    assert seal_note("   ", sequence=5) == "" and second.note == ""


def test_a_changed_note_breaks_the_chain(db):
    from palermo.audit.verify import verify_chain

    event = audit_record(actor=None, action="system.check", tier=0, note=TYPED)
    from django.db import connection

    from palermo.audit import guard

    guard.remove(connection)
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE audit_auditevent SET note = %s WHERE sequence = %s",
            [seal_note("nothing", sequence=event.sequence), event.sequence],
        )
    broken = verify_chain().broken
    assert broken is not None and (broken.sequence, broken.kind) == (event.sequence, "hash mismatch")
