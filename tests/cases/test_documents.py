"""Documents: uploaded with type and size checks, stored encrypted outside the web root, downloaded only
through the access policy, every download audited, served as an attachment that is never cached."""

from __future__ import annotations

import secrets

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from palermo.audit.models import AuditEvent
from palermo.cases import docstore
from palermo.cases.models import CaseDocument, CaseEvent, DocumentKind, EventKind
from palermo.cases.services.documents import case_document_add, clean_filename
from tests.cases.casework import htmx, make_case, put_on_team

pytestmark = pytest.mark.django_db


def pdf(marker: str) -> bytes:
    return f"%PDF-1.7\n% statement {marker}\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n".encode()


@pytest.fixture
def case(manager, migration):
    case = make_case(manager.membership.agency)
    put_on_team(case, manager)
    put_on_team(case, migration)
    return case


def upload(user, case, content, *, name="statement.pdf", tier=4, kind=DocumentKind.STATEMENT):
    return case_document_add(
        actor=user,
        membership=user.membership,
        case=case,
        content=content,
        filename=name,
        kind=kind,
        tier=tier,
    )


def test_the_file_on_disk_is_not_the_plaintext(manager, case, document_store):
    marker = secrets.token_hex(8)
    document = upload(manager, case, pdf(marker))
    path = docstore.stored_path(document.storage_name)
    assert path.is_relative_to(document_store)
    stored = path.read_bytes()
    assert marker.encode() not in stored and b"%PDF" not in stored
    assert document.content_type == "application/pdf" and document.size == len(pdf(marker))
    assert CaseEvent.objects.get(case=case, kind=EventKind.DOCUMENT).tier == 4
    assert AuditEvent.objects.get(case=case, action="document.add").tier == 4


def test_the_type_comes_from_the_content_not_the_name(manager, case):
    with pytest.raises(ValidationError) as refused:
        upload(manager, case, b"MZ\x90\x00 an executable", name="harmless.pdf")
    assert refused.value.code == "file_type"
    document = upload(manager, case, b"\x89PNG\r\n\x1a\n" + bytes(16), name="photo.exe")
    assert document.content_type == "image/png" and document.filename == "photo.png"


def test_the_size_limit_is_a_setting(manager, case, settings):
    settings.DOCUMENT_MAX_BYTES = 64
    with pytest.raises(ValidationError) as refused:
        upload(manager, case, pdf("x" * 80))
    assert refused.value.code == "too_large"
    assert not CaseDocument.objects.exists()


def test_a_tier_the_uploader_may_not_write_is_refused(migration, case, document_store):
    with pytest.raises(PermissionDenied):
        upload(migration, case, pdf("m"), tier=4)
    assert not CaseDocument.objects.exists()
    assert not list(document_store.rglob("*")) or not any(p.is_file() for p in document_store.rglob("*"))


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("../../etc/passwd.pdf", "passwd.pdf"),
        ("C:\\Users\\x\\scan.PDF", "scan.pdf"),
        ("\x00\x1b.pdf", "document.pdf"),
    ],
)
def test_file_names_lose_their_folders_and_take_the_real_extension(given, expected):
    assert clean_filename(given, "pdf") == expected


def test_download_is_an_audited_uncached_attachment(client_for, manager, case):
    marker = secrets.token_hex(8)
    document = upload(manager, case, pdf(marker), name="témoignage.pdf", tier=2)
    response = client_for(manager).get(reverse("cases:document_download", args=[case.reference, document.pk]))
    assert response.status_code == 200
    assert response.content == pdf(marker)
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert "filename*=utf-8''t%C3%A9moignage.pdf" in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in response["Cache-Control"]
    audit = AuditEvent.objects.get(case=case, action="document.download")
    assert (audit.actor, audit.tier, audit.object_id) == (manager, 2, str(document.pk))


def test_a_t4_document_is_invisible_and_undownloadable_for_a_migration_officer(
    client_for, manager, migration, case
):
    document = upload(manager, case, pdf("secret"), tier=4)
    client = client_for(migration)
    page = client.get(reverse("cases:detail_full", args=[case.reference])).content.decode()
    assert reverse("cases:document_download", args=[case.reference, document.pk]) not in page
    assert (
        client.get(reverse("cases:document_download", args=[case.reference, document.pk])).status_code == 404
    )
    assert client.get(reverse("api-case-document", args=[case.reference, document.pk])).status_code == 404
    assert not AuditEvent.objects.filter(action="document.download").exists()


def test_uploading_on_the_page(client_for, manager, case):
    marker = secrets.token_hex(8)
    file = SimpleUploadedFile("notes.txt", f"Встреча {marker}\n".encode(), content_type="application/pdf")
    response = client_for(manager).post(
        reverse("cases:documents", args=[case.reference]),
        {"file": file, "kind": "statement", "tier": "3"},
        **htmx(),
    )
    assert response.status_code == 200 and response["HX-Trigger"] == "case-changed"
    document = CaseDocument.objects.get()
    assert (document.content_type, document.tier, document.filename) == ("text/plain", 3, "notes.txt")
    assert "notes.txt" in response.content.decode()


def test_a_refused_upload_on_the_page_says_why(client_for, manager, case, settings):
    client = client_for(manager)
    url = reverse("cases:documents", args=[case.reference])
    wrong = SimpleUploadedFile("a.pdf", b"GIF89a\x01\x00", content_type="application/pdf")
    response = client.post(url, {"file": wrong, "kind": "statement", "tier": "4"})
    assert response.status_code == 400 and "not accepted" in response.content.decode()
    settings.DOCUMENT_MAX_BYTES = 1024
    large = SimpleUploadedFile("big.pdf", b"%PDF-" + bytes(4096), content_type="application/pdf")
    response = client.post(url, {"file": large, "kind": "statement", "tier": "4"})
    assert response.status_code == 400 and "larger than" in response.content.decode()
    assert not CaseDocument.objects.exists()


def test_api_upload_list_and_download(client_for, manager, migration, case):
    client = client_for(manager)
    marker = secrets.token_hex(8)
    file = SimpleUploadedFile("scan.pdf", pdf(marker), content_type="application/pdf")
    created = client.post(
        reverse("api-case-documents", args=[case.reference]), {"file": file, "kind": "legal", "tier": 2}
    )
    assert created.status_code == 201, created.content
    assert created.json()["filename"] == "scan.pdf"
    listed = client.get(reverse("api-case-documents", args=[case.reference])).json()
    assert [d["id"] for d in listed["results"]] == [created.json()["id"]]
    download = client.get(reverse("api-case-document-download", args=[case.reference, created.json()["id"]]))
    assert download.status_code == 200 and download.content == pdf(marker)
    assert download["Content-Disposition"].startswith("attachment;")
    assert AuditEvent.objects.filter(action="document.download").count() == 1
    refused = client.post(
        reverse("api-case-documents", args=[case.reference]),
        {"file": SimpleUploadedFile("x.pdf", b"\x7fELF"), "kind": "legal", "tier": 2},
    )
    assert refused.status_code == 400


def test_api_refuses_a_file_over_the_limit_with_413(client_for, manager, case, settings):
    settings.DOCUMENT_MAX_BYTES = 1024
    response = client_for(manager).post(
        reverse("api-case-documents", args=[case.reference]),
        {"file": SimpleUploadedFile("big.pdf", b"%PDF-" + bytes(4096)), "kind": "legal", "tier": 2},
    )
    assert response.status_code == 413
    assert not CaseDocument.objects.exists()
