"""Case documents: checked by content, size-limited, stored encrypted outside the web root, audited.

Uploading needs write access at the document's tier; downloading needs read access at it and is always
recorded in the audit log at that tier (even T1: a file leaving the system is worth a line). Documents are
never deleted: the record is kept.
"""

from __future__ import annotations

import hashlib
import unicodedata
from dataclasses import dataclass
from pathlib import PurePosixPath, PureWindowsPath

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from palermo.access.policy import can_write
from palermo.accounts.models import Membership, User
from palermo.audit.services import audit_record
from palermo.cases import docstore
from palermo.cases.models import Case, CaseDocument, DocumentKind, EventKind, NoteTier
from palermo.cases.selectors import case_document_for
from palermo.cases.services.timeline import case_event_add, in_record_language

DOCUMENT_ADDED = gettext_noop("Document added")
MAX_FILENAME = 255


def writable_document_tiers(membership: Membership, case: Case) -> list[int]:
    return [tier for tier in NoteTier.values if can_write(membership, case, tier)]


def clean_filename(name: str, extension: str) -> str:
    """The file's own name without any folder, control characters or a misleading extension: it is shown
    to readers and offered on download, so it must not carry a path or pretend to be another type."""
    base = PureWindowsPath(PurePosixPath(name or "").name).name
    base = "".join(ch for ch in base if unicodedata.category(ch)[0] != "C").strip()
    stem = (base.rsplit(".", 1)[0] if "." in base else base).strip().strip(".")
    stem = stem[: MAX_FILENAME - len(extension) - 1] or "document"
    return f"{stem}.{extension}"


def _check(content: bytes) -> docstore.FileType:
    if len(content) > docstore.max_bytes():
        raise ValidationError(
            _("The file is larger than %(limit)s."),
            code="too_large",
            params={"limit": filesizeformat(docstore.max_bytes())},
        )
    file_type = docstore.sniff(content)
    if file_type is None:
        raise ValidationError(
            _(
                "This kind of file is not accepted. Upload a PDF, PNG, JPEG, plain text, Word or "
                "OpenDocument file."
            ),
            code="file_type",
        )
    return file_type


def case_document_add(
    *,
    actor: User,
    membership: Membership,
    case: Case,
    content: bytes,
    filename: str,
    kind: str,
    tier: int,
) -> CaseDocument:
    """Check, encrypt and store a file on the case at `tier`, with its timeline entry and audit event."""
    if tier not in NoteTier.values:
        raise ValidationError(_("Choose a tier from T1 to T4."), code="invalid_tier")
    if kind not in DocumentKind.values:
        raise ValidationError(_("Choose what kind of document this is."), code="invalid_kind")
    if not can_write(membership, case, tier):
        raise PermissionDenied("this membership may not write at this tier on this case")
    file_type = _check(content)
    document = CaseDocument(
        case=case,
        tier=tier,
        kind=kind,
        filename=clean_filename(filename, file_type.extension),
        content_type=file_type.content_type,
        size=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
        storage_name=docstore.new_storage_name(),
        uploaded_by=actor,
        agency_id=membership.agency_id,
    )
    # The file goes to disk first and is removed again if the row does not commit, so a committed row always
    # has its file and a failed upload leaves nothing behind.
    docstore.write(content, row_key=document.row_key, storage_name=document.storage_name)
    try:
        with transaction.atomic():
            document.save()
            case_event_add(
                actor=actor,
                membership=membership,
                case=case,
                kind=EventKind.DOCUMENT,
                tier=tier,
                summary=in_record_language(DOCUMENT_ADDED),
                object_type="case_document",
                object_id=document.pk,
            )
            audit_record(
                actor=actor,
                membership=membership,
                action="document.add",
                tier=tier,
                case=case,
                object_type="case_document",
                object_id=str(document.pk),
            )
    except BaseException:
        docstore.discard(document.storage_name)
        raise
    return document


@dataclass(frozen=True)
class Download:
    document: CaseDocument
    content: bytes


def case_document_download(
    *, actor: User, membership: Membership, case: Case, document_id: int, reason: str = ""
) -> Download:
    """A document's decrypted bytes for this reader, recorded in the audit log at the document's tier.

    Raises Http404 for a document that is missing, on another case, or above the reader's tiers.
    """
    document = case_document_for(membership, case, document_id)
    content = docstore.read(row_key=document.row_key, storage_name=document.storage_name)
    with transaction.atomic():
        audit_record(
            actor=actor,
            membership=membership,
            action="document.download",
            tier=document.tier,
            case=case,
            object_type="case_document",
            object_id=str(document.pk),
            reason=reason,
        )
    return Download(document=document, content=content)
