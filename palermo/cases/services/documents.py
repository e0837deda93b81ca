"""Case documents: checked by content, size-limited, stored encrypted outside the web root, audited.

Uploading needs write access at the document's tier; downloading needs read access at it and is always
recorded in the audit log at that tier (even T1: a file leaving the system is worth a line). Documents are
never deleted: the record is kept. A document can be withdrawn instead (uploaded to the wrong case, a wrong
version, a file the person asked to take back): by its uploader, or by a team member who may write its tier;
it stays listed as withdrawn, with who, when and why, and its file is no longer handed out.
"""

from __future__ import annotations

import errno
import unicodedata
from dataclasses import dataclass
from pathlib import PurePosixPath, PureWindowsPath

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from palermo.access.matrix import Relation
from palermo.access.policy import can_write, relations_of
from palermo.access.tiers import Tier
from palermo.accounts.models import Membership, User
from palermo.audit.services import audit_on_record
from palermo.cases import docstore
from palermo.cases.models import Case, CaseDocument, DocumentKind, EventKind, NoteTier
from palermo.cases.selectors import case_document_for
from palermo.cases.services.timeline import Entry, record_entry
from palermo.core.concurrency import StaleEdit, bump_version, lock_unless_done
from palermo.core.stamps import signed
from palermo.core.text import checked_text

# A document's entries are at the document's own tier (given when written).
DOCUMENT_ADDED = Entry(
    gettext_noop("Document added"), "document.add", Tier.METADATA, EventKind.DOCUMENT, "case_document"
)
DOCUMENT_WITHDRAWN = Entry(
    gettext_noop("Document withdrawn"),
    "document.withdraw",
    Tier.METADATA,
    EventKind.DOCUMENT,
    "case_document",
)
MAX_FILENAME = 255
MAX_WITHDRAWAL_REASON = 500


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
        raise ValidationError(_("Choose who may read it."), code="invalid_tier")
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
        content_hmac=docstore.content_digest(content),
        storage_name=docstore.new_storage_name(),
        **signed(actor, membership, by="uploaded_by"),
    )
    # The file goes to disk first and is removed again if the row does not commit, so a committed row always
    # has its file and a failed upload leaves nothing behind.
    try:
        docstore.write(content, row_key=document.row_key, storage_name=document.storage_name)
    except OSError as error:
        if error.errno not in (errno.ENOSPC, errno.EDQUOT):
            raise
        # docstore.write removed its partial file; nothing was saved (tests/operations/test_faults.py).
        raise ValidationError(
            _("The document store is full, so the file was not saved. Tell your administrator."),
            code="store_full",
        ) from None
    try:
        with transaction.atomic():
            document.save()
            record_entry(DOCUMENT_ADDED, document, actor=actor, membership=membership, case=case, tier=tier)
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
    if document.withdrawn_at is not None:
        raise Http404  # listed as withdrawn, never handed out again
    content = docstore.read(row_key=document.row_key, storage_name=document.storage_name)
    with transaction.atomic():
        audit_on_record(
            document,
            "case_document",
            "document.download",
            document.tier,
            actor=actor,
            membership=membership,
            case=case,
            note=reason,  # typed by a person: sealed, never in the log in clear
        )
    return Download(document=document, content=content)


def may_withdraw_document(membership: Membership, actor: User, document: CaseDocument) -> bool:
    """The uploader (who can still read it), or a member of the case team who may write at its tier."""
    if document.uploaded_by_id == actor.pk:
        return True
    case = document.case
    return Relation.TEAM in relations_of(membership, case) and can_write(membership, case, document.tier)


def _clean_withdrawal_reason(reason: str) -> str:
    return checked_text(
        reason,
        limit=MAX_WITHDRAWAL_REASON,
        missing=_("Say why the document is withdrawn."),
        too_long=_("At most %(limit)d characters."),
        code="reason_",
    )


def case_document_withdraw(
    *,
    actor: User,
    membership: Membership,
    case: Case,
    document_id: int,
    reason: str,
    expected_version: int,
) -> CaseDocument:
    """Withdraw a document the actor may read (Http404 otherwise): PermissionDenied for one they may not
    withdraw, ValidationError without a reason or when it is already withdrawn (a concurrent withdrawal
    included), StaleEdit when it changed since `expected_version` was read."""
    reason = _clean_withdrawal_reason(reason)
    with transaction.atomic():
        document = case_document_for(membership, case, document_id)
        if not may_withdraw_document(membership, actor, document):
            raise PermissionDenied("only the uploader or a team member who may write its tier")
        try:
            locked, done = lock_unless_done(
                CaseDocument,
                pk=document.pk,
                expected_version=expected_version,
                # The same withdrawal sent twice (a double press): done already, nothing to write.
                done=lambda held: (
                    held.withdrawn_at is not None
                    and held.withdrawn_by_id == actor.pk
                    and held.withdrawal_reason == reason
                ),
            )
        except StaleEdit as stale:
            if stale.current.withdrawn_at is not None:  # type: ignore[attr-defined]
                raise ValidationError(_("This document was already withdrawn."), code="withdrawn") from None
            raise
        if done:
            locked.case = case
            return locked
        if locked.withdrawn_at is not None:
            raise ValidationError(_("This document was already withdrawn."), code="withdrawn")
        locked.withdrawn_at, locked.withdrawn_by, locked.withdrawal_reason = timezone.now(), actor, reason
        bump_version(locked)
        locked.save(update_fields=["withdrawn_at", "withdrawn_by", "withdrawal_reason", "version"])
        record_entry(
            DOCUMENT_WITHDRAWN, locked, actor=actor, membership=membership, case=case, tier=locked.tier
        )
    locked.case = case
    return locked
