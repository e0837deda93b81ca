"""Retention: closed cases past their rulebook period are anonymised by the daily run (identity, location and
narrative destroyed, documents deleted, the case kept at T0/T1), unless a legal hold stands; erasure at the
person's request through the DPO; and no trace of the person left in the database file, the document store
or a backup made afterwards."""

from __future__ import annotations

import datetime
import secrets
from io import StringIO
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from palermo.audit.models import AuditEvent
from palermo.audit.verify import verify_chain
from palermo.cases.models import Case, CaseDocument, CaseEvent, Person
from palermo.cases.reference import CaseStatus
from palermo.core import backup
from palermo.core.concurrency import StaleEdit
from palermo.privacy.models import Anonymisation, RetentionRun
from palermo.privacy.records import personal_records, unreached_models
from palermo.privacy.services import case_erase, legal_hold_lift, legal_hold_place, retention_run
from palermo.privacy.tasks import anonymise_expired
from tests.cases.casework import make_case, put_on_team
from tests.cases.test_documents import pdf, upload
from tests.factories import PersonFactory

TODAY = datetime.date(2026, 6, 1)


def closed_case(manager, *, years_ago: int = 6, status: str = CaseStatus.CLOSED):
    case = make_case(manager.membership.agency)
    put_on_team(case, manager)
    closed = datetime.datetime(TODAY.year - years_ago, 1, 15, 12, tzinfo=datetime.UTC)
    Case.objects.filter(pk=case.pk).update(status=status, closed_at=closed)
    case.refresh_from_db()
    return case


def a_person(case, story: str) -> Person:
    return PersonFactory(case=case, birth_date=datetime.date(1990, 4, 17), note=story, current_address=story)


def stored_traces(person: Person) -> list[str]:
    """What the database held of the person: every ciphertext token and blind index, as stored."""
    record = next(r for r in personal_records() if r.model is Person)
    fields = (*record.encrypted, *record.indexes)  # the plain T2 fields are choices ("exact"), no trace
    values = Person._base_manager.filter(pk=person.pk).values_list(*(f.attname for f in fields))
    return [getattr(value, "token", value) for value in values.get() if value not in (None, "")]


def on_disk(paths) -> bytes:
    return b"".join(path.read_bytes() for path in paths if path.is_file())


@pytest.mark.django_db(transaction=True)
def test_anonymisation_leaves_no_trace_in_the_database_file_documents_or_a_later_backup(
    manager, document_store, tmp_path
):
    case = closed_case(manager)
    story = f"story {secrets.token_hex(12)}"
    person = a_person(case, story)
    upload(manager, case, pdf(story))
    traces = [person.given_names, person.family_names, "1990-04-17", story, *stored_traces(person)]

    report = retention_run(today=TODAY)

    assert (report.anonymised, report.documents_deleted) == (1, 1) and report.values_destroyed >= 6
    if connection.vendor == "sqlite":  # PostgreSQL's files are the server's: its dump is read below
        database = Path(connection.settings_dict["NAME"])
        contents = on_disk([database, Path(f"{database}-wal")])
        leftovers = [t for t in traces if t.encode() in contents]
        assert not leftovers, f"{len(leftovers)} traces of the person remain in the database file"
    assert not [p for p in document_store.rglob("*") if p.is_file()]

    archive = tmp_path / "after.palermo-backup"
    call_command("backup", str(archive), stdout=StringIO())
    unpacked = tmp_path / "unpacked"
    backup.open_archive(archive, unpacked)
    assert not [t for t in traces if t.encode() in on_disk(unpacked.rglob("*"))]

    kept = Person.objects.get(pk=person.pk)
    assert kept.given_names == "" and kept.birth_date is None and kept.name_index in ("", None)
    assert Case.objects.get(pk=case.pk).status == CaseStatus.CLOSED  # the case stays, at T0/T1
    assert CaseEvent.objects.filter(case=case, summary__startswith="Personal data destroyed").exists()
    assert verify_chain().intact


@pytest.mark.django_db
def test_a_legal_hold_stops_the_run_until_it_is_lifted(manager, data_protection_officer):
    case = closed_case(manager)
    a_person(case, "held story")
    dpo = data_protection_officer
    legal_hold_place(actor=dpo, membership=dpo.membership, case=case, reason="proceedings pending")
    report = retention_run(today=TODAY)
    assert (report.expired, report.held, report.anonymised) == (1, 1, 0)
    assert not Anonymisation.objects.exists()
    legal_hold_lift(actor=dpo, membership=dpo.membership, case=case)
    assert retention_run(today=TODAY).anonymised == 1
    assert (
        AuditEvent.objects.filter(case=case, action__in=["legal_hold.place", "legal_hold.lift"]).count() == 2
    )


@pytest.mark.django_db
def test_only_cases_past_their_state_s_period_are_anonymised(manager):
    recent = closed_case(manager, years_ago=1)
    referred = closed_case(manager, years_ago=3, status=CaseStatus.CLOSED_REFERRED)  # 24 months
    open_case = make_case(manager.membership.agency)
    report = retention_run(today=TODAY, dry_run=True)
    assert (report.expired, report.anonymised) == (1, 0)
    retention_run(today=TODAY)
    assert list(Anonymisation.objects.values_list("case_id", flat=True)) == [referred.pk]
    assert not Anonymisation.objects.filter(case__in=[recent, open_case]).exists()
    assert retention_run(today=TODAY).anonymised == 0  # done once


@pytest.mark.django_db
def test_the_daily_task_reports_what_it_did(manager):
    closed_case(manager)
    RetentionRun.objects.create(day=TODAY, run_after=timezone.now())
    assert anonymise_expired.call(day=TODAY.isoformat())["anonymised"] == 1
    assert RetentionRun.objects.get(day=TODAY).report["anonymised"] == 1
    assert RetentionRun.objects.filter(day__gt=TODAY).count() == 1  # the next run is booked, once


@pytest.mark.django_db
def test_erasure_on_request_is_the_dpo_s_on_a_closed_case(manager, data_protection_officer, settings):
    case = closed_case(manager, years_ago=0)
    PersonFactory(case=case)
    with pytest.raises(PermissionDenied):
        case_erase(actor=manager, membership=manager.membership, case=case, expected_version=case.version)
    dpo = data_protection_officer
    with pytest.raises(StaleEdit):  # the case as it was before a change: nothing erased
        case_erase(actor=dpo, membership=dpo.membership, case=case, expected_version=case.version + 1)
    assert not Anonymisation.objects.filter(case=case).exists()
    done = case_erase(actor=dpo, membership=dpo.membership, case=case, expected_version=case.version)
    assert done.why == Anonymisation.Why.ERASURE
    assert AuditEvent.objects.filter(case=case, action="case.erase", actor=dpo).exists()
    open_case = make_case(manager.membership.agency)
    with pytest.raises(ValidationError):
        case_erase(actor=dpo, membership=dpo.membership, case=open_case, expected_version=open_case.version)


def test_every_model_with_personal_fields_is_reached_from_its_case():
    # What belongs to no case: staff accounts and invitations, the audit log's sealed notes; a proceeding
    # that several victims' cases share (each case's party row goes with its case); a partner NRM's
    # registration; an anonymous contact request, which has no case and is erased when it expires
    # (palermo.portal). (A lifted legal hold's reason is the case's, and goes with the rest; a standing hold
    # stops the anonymisation.)
    assert set(unreached_models()) <= {
        "audit.auditevent",
        "accounts.user",
        "accounts.invitation",
        "justice.proceeding",
        "linkage.partnernrm",
        "portal.contactrequest",
    }
    assert any(record.model is CaseDocument for record in personal_records())
