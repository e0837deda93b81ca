"""Notes: encrypted, tagged with a tier, listed at the reader's tiers, edited by the author with a version."""

from __future__ import annotations

import secrets

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.urls import reverse

from palermo.audit.models import AuditEvent
from palermo.cases.models import CaseEvent, CaseNote, EventKind
from palermo.cases.services.notes import case_note_add, case_note_edit, writable_note_tiers
from tests.api.errors import api_error
from tests.cases.casework import htmx, make_case, put_on_team
from tests.names import fake

pytestmark = pytest.mark.django_db


@pytest.fixture
def case(manager, migration):
    case = make_case(manager.membership.agency)
    put_on_team(case, manager)
    put_on_team(case, migration)
    return case


def add(user, case, body, tier):
    return case_note_add(actor=user, membership=user.membership, case=case, body=body, tier=tier)


def text() -> str:
    """Synthetic note text ending in a unique word, so a page shows it or does not, beyond doubt."""
    return f"{fake['ru_RU'].paragraph()} {fake['ar_EG'].sentence()} {secrets.token_hex(6)}"


def mark(body: str) -> str:
    return body.split()[-1]


def test_a_note_is_encrypted_at_rest_with_its_tier_event_and_audit(manager, case):
    body = text()
    note = add(manager, case, body, 4)
    with connection.cursor() as cursor:
        cursor.execute("SELECT body FROM cases_casenote WHERE id = %s", [note.pk])
        stored = cursor.fetchone()[0]
    assert body not in stored and mark(body) not in stored
    assert CaseNote.objects.get(pk=note.pk).body == body
    event = CaseEvent.objects.get(case=case, kind=EventKind.NOTE)
    assert event.tier == 4 and event.object_id == str(note.pk) and body not in event.summary
    assert AuditEvent.objects.get(case=case, action="note.add").tier == 4


def test_the_author_chooses_a_tier_only_among_those_they_may_write(manager, migration, case):
    assert writable_note_tiers(manager.membership, case) == [1, 2, 3, 4]
    assert writable_note_tiers(migration.membership, case) == [1, 2]
    with pytest.raises(PermissionDenied):
        add(migration, case, text(), 4)
    with pytest.raises(ValidationError):
        add(manager, case, "   ", 2)
    with pytest.raises(ValidationError):
        add(manager, case, text(), 5)
    assert not CaseNote.objects.exists()


def test_a_t4_note_is_invisible_to_a_migration_officer_on_the_team(client_for, manager, migration, case):
    secret, open_note = text(), text()
    add(manager, case, secret, 4)
    add(manager, case, open_note, 2)
    whole_case = reverse("cases:detail_full", args=[case.reference])
    page = client_for(migration).get(whole_case).content.decode()
    assert mark(open_note) in page
    assert mark(secret) not in page
    # Not even its timeline entry: entries above the reader's tiers are omitted, not masked.
    assert page.count("Note added") == 1
    api = client_for(migration).get(reverse("api-case-notes", args=[case.reference])).json()
    assert [n["tier"] for n in api["results"]] == [2]


def test_reading_notes_above_t1_is_audited(client_for, manager, case):
    note = add(manager, case, text(), 3)
    client_for(manager).get(reverse("cases:notes", args=[case.reference]), **htmx())
    read = AuditEvent.objects.get(case=case, action="note.read")
    assert read.tier == 3 and read.object_id == str(note.pk)


def test_adding_a_note_on_the_page(client_for, manager, case):
    body = text()
    response = client_for(manager).post(
        reverse("cases:notes", args=[case.reference]), {"body": body, "tier": "2"}, **htmx()
    )
    assert response.status_code == 200 and response["HX-Trigger"] == "case-changed"
    assert mark(body) in response.content.decode()
    assert CaseNote.objects.get().tier == 2


def test_a_tier_above_the_authors_is_a_form_error(client_for, migration, case):
    response = client_for(migration).post(
        reverse("cases:notes", args=[case.reference]), {"body": text(), "tier": "4"}
    )
    assert response.status_code == 400
    assert not CaseNote.objects.exists()


def test_only_the_author_edits(client_for, manager, migration, case):
    note = add(manager, case, text(), 2)
    with pytest.raises(PermissionDenied):
        case_note_edit(
            actor=migration, membership=migration.membership, note=note, body="x", expected_version=1
        )
    url = reverse("cases:note_edit", args=[case.reference, note.pk])
    assert client_for(migration).get(url).status_code == 403


def test_a_stale_edit_is_refused_with_both_versions_and_nothing_changed(client_for, manager, case):
    original, theirs, mine = text(), text(), text()
    note = add(manager, case, original, 4)
    client = client_for(manager)
    url = reverse("cases:note_edit", args=[case.reference, note.pk])
    assert f'name="version" value="{note.version}"' in client.get(url).content.decode()
    case_note_edit(actor=manager, membership=manager.membership, note=note, body=theirs, expected_version=1)

    response = client.post(url, {"body": mine, "version": 1})
    assert response.status_code == 409
    html = response.content.decode()
    assert mark(mine) in html and mark(theirs) in html
    assert 'name="version" value="2"' in html  # re-applying states the current version, knowingly
    note.refresh_from_db()
    assert (note.body, note.version) == (theirs, 2)

    reapplied = client.post(url, {"body": mine, "version": 2})
    assert reapplied.status_code == 302
    note.refresh_from_db()
    assert (note.body, note.version) == (mine, 3) and note.edited_at is not None


def test_a_stale_edit_through_htmx_replaces_the_main_area(client_for, manager, case):
    note = add(manager, case, text(), 2)
    case_note_edit(actor=manager, membership=manager.membership, note=note, body=text(), expected_version=1)
    response = client_for(manager).post(
        reverse("cases:note_edit", args=[case.reference, note.pk]), {"body": text(), "version": 1}, **htmx()
    )
    assert response.status_code == 200
    assert response["HX-Retarget"] == "#main"


def test_api_notes_add_edit_and_conflict(client_for, manager, case):
    client = client_for(manager)
    created = client.post(
        reverse("api-case-notes", args=[case.reference]),
        {"body": "first", "tier": 4},
        content_type="application/json",
    )
    assert created.status_code == 201
    note_url = reverse("api-case-note", args=[case.reference, created.json()["id"]])
    edited = client.patch(
        note_url, {"body": "second", "expected_version": 1}, content_type="application/json"
    )
    assert edited.status_code == 200 and edited.json()["version"] == 2
    stale = client.patch(note_url, {"body": "third", "expected_version": 1}, content_type="application/json")
    current = api_error(stale, 409, "stale")["current"]
    assert current["version"] == 2 and current["record"]["body"] == "second"
    assert CaseNote.objects.get().body == "second"
    too_high = client.post(
        reverse("api-case-notes", args=[case.reference]),
        {"body": "x", "tier": 9},
        content_type="application/json",
    )
    assert too_high.status_code == 400
