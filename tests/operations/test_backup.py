"""`palermo backup` and `palermo restore`: one encrypted archive rebuilds the same instance, on SQLite and on
PostgreSQL (whichever the suite runs on): the same row counts, a person's name and a document that decrypt,
and an audit chain that verifies. The archive is ciphertext, refuses tampering and a missing key."""

from __future__ import annotations

import secrets
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from palermo.audit.verify import verify_chain
from palermo.cases import docstore
from palermo.cases.models import CaseDocument, Person
from palermo.core import backup
from tests.cases.casework import add_person, make_case, put_on_team
from tests.cases.test_documents import pdf, upload


@pytest.fixture
def instance(manager, document_store):
    """A case with a person and a document, written through the services."""
    case = make_case(manager.membership.agency)
    put_on_team(case, manager)
    person = add_person(case)
    marker = secrets.token_hex(8)
    document = upload(manager, case, pdf(marker))
    return person, document, marker


def run(*arguments: str) -> str:
    out = StringIO()
    call_command(*arguments, stdout=out)
    return out.getvalue()


@pytest.mark.django_db(transaction=True)
def test_a_restore_rebuilds_the_same_instance(instance, tmp_path, document_store):
    person, document, marker = instance
    name = person.given_names
    archive = tmp_path / "instance.palermo-backup"
    run("backup", str(archive))
    counts = backup.row_counts()
    assert name.encode() not in archive.read_bytes()

    # The instance is lost: every row and every stored file.
    call_command("flush", interactive=False, verbosity=0)
    for path in document_store.rglob("*"):
        if path.is_file():
            path.unlink()
    assert Person.objects.count() == 0

    said = run("restore", str(archive), "--replace-documents")
    assert "Row counts match the archive; audit chain intact" in said
    after = backup.row_counts()
    after["audit.auditevent"] -= 1  # the restore is itself on the record
    assert after == counts
    assert Person.objects.get(pk=person.pk).given_names == name
    restored = CaseDocument.objects.get(pk=document.pk)
    content = docstore.read(row_key=restored.row_key, storage_name=restored.storage_name)
    assert marker.encode() in content
    assert verify_chain().intact


@pytest.mark.django_db
def test_an_archive_altered_in_one_byte_or_under_another_key_is_refused(tmp_path, settings, document_store):
    archive = tmp_path / "a.palermo-backup"
    run("backup", str(archive))
    data = bytearray(archive.read_bytes())
    data[len(data) // 2] ^= 1
    altered = tmp_path / "altered.palermo-backup"
    altered.write_bytes(bytes(data))
    with pytest.raises(backup.BackupError, match="authentication"):
        backup.open_archive(altered, tmp_path / "out1")
    cut = tmp_path / "cut.palermo-backup"
    cut.write_bytes(archive.read_bytes()[:-40])
    with pytest.raises(backup.BackupError):
        backup.open_archive(cut, tmp_path / "out2")
    settings.BACKUP_KEYS = "b2:" + "A" * 43 + "="
    with pytest.raises(backup.BackupError, match="not in BACKUP_KEYS"):
        backup.open_archive(archive, tmp_path / "out3")


@pytest.mark.django_db
def test_the_archive_carries_key_fingerprints_never_keys(tmp_path, settings):
    archive = tmp_path / "a.palermo-backup"
    run("backup", str(archive))
    manifest = backup.open_archive(archive, tmp_path / "out")
    assert set(manifest.keys) == {"field_keys", "blind_index_key", "audit_keys"}
    unpacked = b"".join(path.read_bytes() for path in (tmp_path / "out").rglob("*") if path.is_file())
    for text in (settings.FIELD_KEYS, settings.AUDIT_KEYS, settings.BLIND_INDEX_KEY):
        for entry in text.replace(",", "\n").splitlines():
            assert entry.split(":")[-1].encode() not in unpacked
    assert manifest.extra["audit_intact"] is True


@pytest.mark.django_db
def test_a_restore_without_the_archive_s_keys_changes_nothing(tmp_path, settings, instance):
    archive = tmp_path / "a.palermo-backup"
    run("backup", str(archive))
    settings.FIELD_KEYS = "k9:" + "B" * 43 + "="
    with pytest.raises(CommandError, match="lacks keys"):
        run("restore", str(archive), "--replace-documents")
    assert Person.objects.count() == 1


def test_backup_refuses_without_a_backup_key(settings):
    settings.BACKUP_KEYS = ""
    with pytest.raises(CommandError, match="PALERMO_BACKUP_KEYS"):
        run("backup", "/nonexistent/archive")
