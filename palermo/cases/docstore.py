"""The document store: what files a case may hold, and how they are kept on disk.

Files live under `settings.DOCUMENT_STORE` (by default `VAR_DIR/documents`), never under the static or media
roots, so no web server can serve them directly: the only way out is the download view, through the access
policy. Each file is encrypted as a whole with AES-256-GCM under the field key ring
(`palermo.core.crypto.encrypt`), bound to the document row's `row_key`, so a stored file copied onto
another document's name fails to open. Storage names are random and say nothing about the person, the case
or the file.

Optionally the files live in an object store instead (S3-compatible, through django-storages:
`settings.DOCUMENT_STORAGE` names an alias of `STORAGES`; docs/operations/documents-on-s3.md). The file is
sealed here, before the storage backend is called, so the store and everything between receives ciphertext
only; names, fan-out and the sweep are the same.

Types are recognised by their first bytes (magic numbers), never by the name or the browser's claimed type.
"""

from __future__ import annotations

import hashlib
import hmac
import io
import os
import secrets
import tempfile
import time
import unicodedata
import uuid
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import Storage, storages
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from palermo.core import crypto
from palermo.core.blind_index import blind_index_key

# The binding of a stored file: label and "field" as for encrypted columns, plus the document's row key.
_BINDING_LABEL = "cases.casedocument"
_BINDING_FIELD = "content"
_STORAGE_NAME_BYTES = 32  # 64 hex characters, the width of CaseDocument.storage_name


@dataclass(frozen=True)
class FileType:
    content_type: str
    label: str | Promise
    extension: str


PDF = FileType("application/pdf", _("PDF document"), "pdf")
PNG = FileType("image/png", _("PNG image"), "png")
JPEG = FileType("image/jpeg", _("JPEG image"), "jpg")
TEXT = FileType("text/plain", _("Plain text"), "txt")
DOCX = FileType(
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document", _("Word document"), "docx"
)
ODT = FileType("application/vnd.oasis.opendocument.text", _("OpenDocument text"), "odt")
ACCEPTED_TYPES = (PDF, PNG, JPEG, TEXT, DOCX, ODT)

_ZIP_MAGIC = b"PK\x03\x04"
_ODT_MIMETYPE = ODT.content_type.encode("ascii")
# Bytes allowed in plain text besides printable characters: tab, line feed, form feed, carriage return.
_TEXT_CONTROLS = frozenset("\t\n\x0c\r")


class DocumentStoreError(Exception):
    """A stored file is missing or does not open. Never carries file content."""


def sniff(data: bytes) -> FileType | None:
    """The accepted type these bytes are, judged by content alone; None for anything else."""
    if data.startswith(b"%PDF-"):
        return PDF
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if data.startswith(b"\xff\xd8\xff"):
        return JPEG
    if data.startswith(_ZIP_MAGIC):
        return _sniff_office(data)
    if _is_plain_text(data):
        return TEXT
    return None


def _sniff_office(data: bytes) -> FileType | None:
    """DOCX and ODT are ZIP archives; their member names (read from the directory, nothing extracted)
    tell them apart from any other archive."""
    # ODT stores an uncompressed "mimetype" member first, so its type sits at a fixed offset.
    if data[30:38] == b"mimetype" and data[38 : 38 + len(_ODT_MIMETYPE)] == _ODT_MIMETYPE:
        return ODT
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, ValueError, OSError):
        return None
    if "[Content_Types].xml" in names and "word/document.xml" in names:
        return DOCX
    return None


def _is_plain_text(data: bytes) -> bool:
    if not data:
        return False
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    # Control characters (C0, DEL, C1) other than layout ones mark binary data, e.g. "\x7fELF".
    return not any(unicodedata.category(char) == "Cc" and char not in _TEXT_CONTROLS for char in text)


def max_bytes() -> int:
    return int(settings.DOCUMENT_MAX_BYTES)


def store_root() -> Path:
    return Path(settings.DOCUMENT_STORE)


def _binding(row_key: uuid.UUID) -> bytes:
    return crypto.binding(_BINDING_LABEL, _BINDING_FIELD, row_key)


def _path_of(storage_name: str) -> Path:
    if len(storage_name) != 2 * _STORAGE_NAME_BYTES or not all(c in "0123456789abcdef" for c in storage_name):
        raise DocumentStoreError("not a storage name")
    # Two levels of fan-out keep directories small at a national scale.
    return store_root() / storage_name[:2] / storage_name


def new_storage_name() -> str:
    return secrets.token_hex(_STORAGE_NAME_BYTES)


def content_digest(data: bytes) -> str:
    """A keyed digest of a file's content (HMAC-SHA256, hex), for integrity and sameness checks.

    Not a plain SHA-256: that would let anyone holding the database confirm a guess of the file (a known
    passport scan, a published photograph). The key is derived from the blind-index key, kept outside the
    database with the other keys, under a label of its own so the two uses never share a value."""
    key = hmac.new(blind_index_key(), b"palermo document digest", hashlib.sha256).digest()
    return hmac.new(key, data, hashlib.sha256).hexdigest()


def object_store() -> Storage | None:
    """The Django storage the documents are kept in when it is not the file system (None then)."""
    alias = getattr(settings, "DOCUMENT_STORAGE", "")
    return storages[alias] if alias else None


def _key_of(storage_name: str) -> str:
    """A stored file's name in the object store: the same fan-out as on disk."""
    _path_of(storage_name)  # the same check of the name
    return f"{storage_name[:2]}/{storage_name}"


def write(data: bytes, *, row_key: uuid.UUID, storage_name: str) -> None:
    """Encrypt and write a file atomically (a temporary file renamed into place), owner-readable only; or, to
    an object store, one upload of the sealed bytes (an object appears whole or not at all)."""
    sealed = crypto.encrypt(data, associated_data=_binding(row_key))
    store = object_store()
    if store is not None:
        key = _key_of(storage_name)
        if store.save(key, ContentFile(sealed)) != key:  # a store that renamed it: the row could not find it
            raise DocumentStoreError("the object store changed the stored file's name")
        return
    path = _path_of(storage_name)
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".incoming-")
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(sealed)
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temporary, 0o600)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def read(*, row_key: uuid.UUID, storage_name: str) -> bytes:
    """The plaintext of a stored file, or DocumentStoreError if it is missing or does not open."""
    store = object_store()
    try:
        if store is None:
            sealed = _path_of(storage_name).read_bytes()
        else:
            with store.open(_key_of(storage_name), "rb") as stream:
                sealed = stream.read()
    except FileNotFoundError:
        raise DocumentStoreError("the stored file is missing") from None
    try:
        return crypto.decrypt(sealed, associated_data=_binding(row_key))
    except crypto.DecryptionError as error:
        raise DocumentStoreError(f"the stored file does not open: {error}") from None


def discard(storage_name: str) -> None:
    """Remove a file whose database row was never committed (an upload that failed half-way)."""
    store = object_store()
    if store is None:
        _path_of(storage_name).unlink(missing_ok=True)
    else:
        store.delete(_key_of(storage_name))


def sweep(*, known: Callable[[list[str]], set[str]], older_than: float) -> int:
    """Remove what an upload killed half-way (kill -9, a power cut) left behind: a temporary `.incoming-`
    file, or a stored file whose row never committed (`known(names)` answers the names that have a row).
    Only files older than `older_than` seconds, so an upload in progress keeps its file.
    The number removed."""
    root, removed = store_root(), 0
    cutoff = time.time() - older_than
    store = object_store()
    if store is not None:
        return _sweep_objects(store, known=known, cutoff=cutoff)
    for folder in (path for path in root.iterdir() if path.is_dir()) if root.is_dir() else ():
        files = [path for path in folder.iterdir() if path.is_file() and path.stat().st_mtime <= cutoff]
        named = [path.name for path in files if not path.name.startswith(".incoming-")]
        kept = known(named)
        for path in files:
            if path.name not in kept:
                path.unlink(missing_ok=True)
                removed += 1
    return removed


def _sweep_objects(store: Storage, *, known: Callable[[list[str]], set[str]], cutoff: float) -> int:
    """The sweep over an object store (no temporary files there: an upload is one request)."""
    removed = 0
    for folder in store.listdir("")[0]:
        names = [
            name
            for name in store.listdir(folder)[1]
            if store.get_modified_time(f"{folder}/{name}").timestamp() <= cutoff
        ]
        kept = known(names)
        for name in names:
            if name not in kept:
                store.delete(f"{folder}/{name}")
                removed += 1
    return removed


def stored_path(storage_name: str) -> Path:
    """Where a stored file is (for operators and tests that prove the bytes on disk are ciphertext)."""
    return _path_of(storage_name)
