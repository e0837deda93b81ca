"""The document store: type sniffing by content, and encrypted files bound to their document row."""

from __future__ import annotations

import io
import uuid
import zipfile

import pytest

from palermo.cases import docstore

PDF_BYTES = b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n"
PNG_BYTES = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + bytes(20)
JPEG_BYTES = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + bytes(20)


def zip_with(members: dict[str, bytes], *, first: tuple[str, bytes] | None = None) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        if first is not None:
            archive.writestr(zipfile.ZipInfo(first[0]), first[1], compress_type=zipfile.ZIP_STORED)
        for name, content in members.items():
            archive.writestr(name, content, compress_type=zipfile.ZIP_DEFLATED)
    return buffer.getvalue()


DOCX_BYTES = zip_with({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w:document/>"})
ODT_BYTES = zip_with(
    {"content.xml": b"<office:document-content/>"},
    first=("mimetype", b"application/vnd.oasis.opendocument.text"),
)


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (PDF_BYTES, docstore.PDF),
        (PNG_BYTES, docstore.PNG),
        (JPEG_BYTES, docstore.JPEG),
        ("Встреча · ملاحظة · 会议\r\n\tline two".encode(), docstore.TEXT),
        (DOCX_BYTES, docstore.DOCX),
        (ODT_BYTES, docstore.ODT),
    ],
    ids=["pdf", "png", "jpeg", "text", "docx", "odt"],
)
def test_accepted_types_are_recognised_by_content(content, expected):
    assert docstore.sniff(content) == expected


@pytest.mark.parametrize(
    "content",
    [
        b"MZ\x90\x00\x03\x00\x00\x00",  # a Windows executable
        b"\x7fELF\x02\x01\x01",  # a Linux executable
        b"\x7fELF",  # its first bytes alone, valid UTF-8
        b"GIF89a\x01\x00\x01\x00",  # an image type not accepted
        b"text with a \x00 NUL byte",
        b"\xc3\x28 invalid UTF-8",
        zip_with({"evil.exe": b"MZ"}),  # an archive that is no office document
        b"PK\x03\x04 truncated archive",
        b"",
    ],
    ids=["exe", "elf", "elf-magic", "gif", "nul", "bad-utf8", "other-zip", "broken-zip", "empty"],
)
def test_other_content_is_refused_whatever_its_name(content):
    assert docstore.sniff(content) is None


def test_a_stored_file_is_ciphertext_on_disk_and_opens_only_for_its_row(document_store):
    row_key, other_row = uuid.uuid4(), uuid.uuid4()
    name = docstore.new_storage_name()
    plaintext = b"%PDF-1.7 witness statement of a synthetic person"
    docstore.write(plaintext, row_key=row_key, storage_name=name)

    on_disk = docstore.stored_path(name)
    assert on_disk.is_relative_to(document_store)
    stored = on_disk.read_bytes()
    assert plaintext not in stored and b"witness" not in stored
    assert on_disk.stat().st_mode & 0o777 == 0o600
    assert docstore.read(row_key=row_key, storage_name=name) == plaintext
    with pytest.raises(docstore.DocumentStoreError):
        docstore.read(row_key=other_row, storage_name=name)


def test_the_store_is_outside_the_static_root_by_default():
    from palermo import settings as configured  # the module, not the per-test override

    assert configured.DOCUMENT_STORE == configured.VAR_DIR / "documents"
    assert not configured.DOCUMENT_STORE.resolve().is_relative_to(configured.STATIC_ROOT.resolve())
    assert not configured.DOCUMENT_STORE.resolve().is_relative_to((configured.BASE_DIR / "palermo").resolve())


def test_storage_names_are_random_and_paths_cannot_escape_the_store():
    names = {docstore.new_storage_name() for _ in range(50)}
    assert len(names) == 50 and all(len(n) == 64 for n in names)
    for bad in ("../../etc/passwd", "a" * 64 + "/", "G" * 64, ""):
        with pytest.raises(docstore.DocumentStoreError):
            docstore.stored_path(bad)


def test_a_missing_file_is_reported_without_content():
    with pytest.raises(docstore.DocumentStoreError, match="missing"):
        docstore.read(row_key=uuid.uuid4(), storage_name=docstore.new_storage_name())
