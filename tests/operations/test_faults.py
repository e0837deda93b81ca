"""Faults: a full disk during an upload gives a clear error through both doors and leaves neither a row nor
a file; a backup interrupted half-way never leaves an archive under its final name."""

from __future__ import annotations

import errno
import os

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from palermo.cases import docstore
from palermo.cases.models import CaseDocument
from palermo.core import backup
from tests.cases.casework import make_case, put_on_team
from tests.cases.test_documents import pdf, upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def full_disk(monkeypatch):
    def no_space(descriptor: int) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(docstore.os, "fsync", no_space)


def stored_files(root) -> list:
    return [path for path in root.rglob("*") if path.is_file()]


def test_a_full_disk_on_upload_is_a_clear_error_and_leaves_no_orphan(manager, document_store, full_disk):
    case = make_case(manager.membership.agency)
    put_on_team(case, manager)
    with pytest.raises(ValidationError) as refused:
        upload(manager, case, pdf("full"))
    assert refused.value.code == "store_full"
    assert not CaseDocument.objects.exists() and not stored_files(document_store)


def test_a_full_disk_through_the_api_answers_the_error_shape(client_for, manager, document_store, full_disk):
    case = make_case(manager.membership.agency)
    put_on_team(case, manager)
    answer = client_for(manager).post(
        reverse("api-case-documents", args=[case.reference]),
        {"file": SimpleUploadedFile("s.pdf", pdf("api")), "kind": "statement", "tier": 4},
    )
    assert answer.status_code == 400 and "store is full" in answer.content.decode()
    assert not CaseDocument.objects.exists() and not stored_files(document_store)


def test_an_interrupted_backup_leaves_no_archive(tmp_path, monkeypatch):
    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt  # the operator's Ctrl-C, or a kill, half-way through the documents

    monkeypatch.setattr(backup, "_document_files", interrupted)
    target = tmp_path / "a.palermo-backup"
    with pytest.raises(KeyboardInterrupt):
        backup.write_archive(target)
    assert list(tmp_path.iterdir()) == []
