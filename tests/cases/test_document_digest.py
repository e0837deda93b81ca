"""A document's content digest is keyed (issue 15, item 5): HMAC-SHA256 under a key outside the database,
never a plain SHA-256 that anyone holding the database could match against a guessed file; existing rows are
recomputed from their files, or marked when the file is gone."""

from __future__ import annotations

import base64
import hashlib
import importlib
import os

import pytest
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from palermo.cases import docstore
from palermo.cases.models import CaseDocument
from tests.cases.casework import htmx, team_case

pytestmark = pytest.mark.django_db

CONTENT = b"%PDF-1.7\n% a scanned passport\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n"
PLAIN = hashlib.sha256(CONTENT).hexdigest()


def upload_on_the_page(client, case) -> CaseDocument:
    file = SimpleUploadedFile("passport.pdf", CONTENT, content_type="application/pdf")
    response = client.post(
        reverse("cases:documents", args=[case.reference]),
        {"file": file, "kind": "identity", "tier": "2"},
        **htmx(),
    )
    assert response.status_code == 200
    return CaseDocument.objects.get()


def test_the_page_stores_a_keyed_digest(client_for, manager):
    case = team_case(manager)
    document = upload_on_the_page(client_for(manager), case)
    assert document.content_hmac == docstore.content_digest(CONTENT)
    assert document.content_hmac != PLAIN
    assert PLAIN not in str(CaseDocument.objects.values().get())


def test_the_digest_depends_on_the_key(settings):
    before = docstore.content_digest(CONTENT)
    settings.BLIND_INDEX_KEY = base64.b64encode(os.urandom(32)).decode()
    assert docstore.content_digest(CONTENT) != before
    assert len(before) == 64


def test_the_api_shows_the_keyed_digest_and_no_plain_hash(client_for, manager):
    case = team_case(manager)
    client = client_for(manager)
    file = SimpleUploadedFile("passport.pdf", CONTENT, content_type="application/pdf")
    created = client.post(
        reverse("api-case-documents", args=[case.reference]), {"file": file, "kind": "identity", "tier": 2}
    )
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["content_hmac"] == docstore.content_digest(CONTENT)
    assert "sha256" not in body and PLAIN not in created.content.decode()


def test_the_migration_recomputes_from_the_file_or_marks_a_missing_one(client_for, manager):
    case = team_case(manager)
    client = client_for(manager)
    kept = upload_on_the_page(client, case)
    lost = CaseDocument.objects.create(
        case=case,
        tier=2,
        kind="identity",
        filename="gone.pdf",
        content_type="application/pdf",
        size=3,
        content_hmac=PLAIN,
        storage_name=docstore.new_storage_name(),
        uploaded_by=manager,
        agency=manager.membership.agency,
    )
    CaseDocument.objects.filter(pk=kept.pk).update(content_hmac=PLAIN)  # as the column held it before
    migration = importlib.import_module("palermo.cases.migrations.0008_document_content_hmac")
    migration.recompute(apps, None)
    assert CaseDocument.objects.get(pk=kept.pk).content_hmac == docstore.content_digest(CONTENT)
    assert CaseDocument.objects.get(pk=lost.pk).content_hmac == ""
