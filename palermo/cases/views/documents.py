"""Documents on the case page: list at the viewer's tiers, upload (checked, encrypted), audited download.

Uploads are held in memory up to the size limit and never spooled to a temporary file: Django's default
handler writes large uploads in clear to the system's temporary folder, which is exactly what the document
store exists to avoid.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_http_methods

from palermo.access.declare import allow
from palermo.accounts.active import acting
from palermo.cases import docstore
from palermo.cases.facts import preloaded_only
from palermo.cases.models import Case, DocumentKind
from palermo.cases.selectors import case_documents, documents_shown
from palermo.cases.services.documents import (
    MAX_WITHDRAWAL_REASON,
    case_document_add,
    case_document_download,
    case_document_withdraw,
    may_withdraw_document,
    writable_document_tiers,
)
from palermo.cases.views.notes import WrittenAtTierForm, tier_field, written_at_tier
from palermo.cases.web import (
    CASE_ROLES,
    BoundedMemoryUploadHandler,
    SectionPost,
    attachment_response,
    refused_section,
    render_section,
    section_changed,
    section_post,
    use_bounded_upload,
    visible_case,
)
from palermo.core.concurrency import StaleEdit
from palermo.core.staff_pages import staff_page
from palermo.core.web import first_page, form_values, paged, refused_as_not_found

PAGE_SIZE = 20


class DocumentForm(WrittenAtTierForm):
    ids = "document"
    file = forms.FileField(label=_("File"), allow_empty_file=False)
    kind = forms.ChoiceField(label=_("What it is"), choices=DocumentKind.choices)
    tier = tier_field(
        _("What kind of information the document holds: only those allowed to read that will see it.")
    )

    def __init__(self, *args: Any, tiers: list[int], **kwargs: Any) -> None:
        super().__init__(*args, tiers=tiers, **kwargs)
        self.fields["file"].help_text = _(
            "PDF, PNG, JPEG, plain text, Word (.docx) or OpenDocument text (.odt), at most %(limit)s."
        ) % {"limit": filesizeformat(docstore.max_bytes())}
        self.fields["file"].widget.attrs["accept"] = ",".join(t.content_type for t in docstore.ACCEPTED_TYPES)


def section_context(request: HttpRequest, case: Case, tiers: frozenset[int]) -> dict[str, Any]:
    user, membership = acting(request)
    first = preloaded_only(case, "cases.documents.first")
    page = paged(request, case_documents(case, tiers), PAGE_SIZE, param="documents_page", first=first)
    show_names = 2 in tiers
    writable = writable_document_tiers(membership, case)
    withdrawable = set()
    for document in page.object_list:  # decided on the records' ids, not on what the reader is shown
        document.case = case  # read through the policy already
        if document.withdrawn_at is None and may_withdraw_document(membership, user, document):
            withdrawable.add(document.pk)
    page.object_list = documents_shown(case, membership, page.object_list, tiers)
    return {
        "documents": page,
        "withdrawable_document_ids": withdrawable,
        "withdrawal_reason_limit": MAX_WITHDRAWAL_REASON,
        "show_document_names": show_names,
        "document_may_upload": bool(writable),
    }


@allow(*CASE_ROLES)
@never_cache
@csrf_exempt  # the upload handler must be set before anything reads the body; CSRF is checked just below
@require_http_methods(["GET", "POST"])
def documents_section(request: HttpRequest, reference: str) -> HttpResponse:
    """GET: the documents partial (or the case page). POST (multipart): upload a document."""
    handler = use_bounded_upload(request) if request.method == "POST" else None
    return _documents_section(request, reference, handler)


@csrf_protect
def _documents_section(
    request: HttpRequest, reference: str, handler: BoundedMemoryUploadHandler | None
) -> HttpResponse:
    case, tiers = visible_case(request, reference)
    if request.method == "GET" or handler is None:
        return render_section(request, case, tiers, "documents")
    user, membership = acting(request)
    form = DocumentForm(request.POST, request.FILES, tiers=writable_document_tiers(membership, case))
    if handler.too_large:
        form.add_error(
            None, _("The file is larger than %(limit)s.") % {"limit": filesizeformat(handler.limit)}
        )
    elif form.is_valid():
        upload = form.cleaned_data["file"]
        written_at_tier("file")(
            form,
            lambda: case_document_add(
                actor=user,
                membership=membership,
                case=case,
                content=upload.read(),
                filename=upload.name or "",
                **form_values(form.cleaned_data, "kind", "tier"),
            ),
        )
    if form.errors:
        return refused_section(request, case, tiers, "documents", document_form=form)
    return section_changed(request, case, tiers, "documents", _("Document uploaded"))


@staff_page(allow(*CASE_ROLES), "GET")
def document_download(request: HttpRequest, reference: str, document_id: int) -> HttpResponse:
    """The file, to this reader only, recorded in the audit log; saved, never shown inline or cached."""
    case, _tiers = visible_case(request, reference)
    user, membership = acting(request)
    download = case_document_download(actor=user, membership=membership, case=case, document_id=document_id)
    return attachment_response(download.content, download.document.content_type, download.document.filename)


@section_post("documents")
def document_withdraw(post: SectionPost, document_id: int) -> HttpResponse:
    """Withdraw a document with a reason; it stays listed as withdrawn. Refusals come back in the section."""
    try:
        version = int(post.request.POST.get("version", ""))
    except ValueError:
        version = 0
    error = ""
    try:
        with refused_as_not_found():
            case_document_withdraw(
                **post.actor,
                case=post.case,
                document_id=document_id,
                reason=post.request.POST.get("reason", ""),
                expected_version=version,
            )
    except ValidationError as refused:
        error = " ".join(refused.messages)
    except StaleEdit:
        error = str(_("The document was changed since you opened the page; look at it again."))
    if error:
        # The reason typed is given back with the refusal, so that it is not typed again.
        return post.refused(
            withdraw_document_failed=document_id,
            withdraw_document_error=error,
            withdraw_document_reason=post.request.POST.get("reason", ""),
        )
    return post.changed(done=_("Document withdrawn"))


def first_page_reads(case: Case, tiers: frozenset[int]) -> dict[str, QuerySet[Any]]:
    """The documents' first page with its total, for the case page's one statement (palermo.cases.facts)."""
    return {"cases.documents.first": first_page(case_documents(case, tiers), PAGE_SIZE)}
