"""Documents in the API: list at the caller's tiers, upload (multipart), metadata, audited download."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.parsers import MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from palermo.access.serializers import AgencyWithheld, TieredModelSerializer, WithheldField
from palermo.accounts.active import acting
from palermo.cases.api.cases import BAD_REQUEST
from palermo.cases.endpoints import CaseAction, CaseRead, CaseRecordList, Reading
from palermo.cases.models import Case, CaseDocument, DocumentKind, NoteTier
from palermo.cases.selectors import case_document_for, case_documents, documents_shown
from palermo.cases.services.documents import (
    MAX_WITHDRAWAL_REASON,
    case_document_add,
    case_document_download,
    case_document_withdraw,
)
from palermo.cases.web import API_ROLES, attachment_response, use_bounded_upload, visible_case
from palermo.core import api_errors
from palermo.core.api_fields import version
from palermo.core.api_records import user_named


class DocumentSerializer(user_named("uploaded_by", nullable=True), AgencyWithheld, TieredModelSerializer):  # type: ignore[misc]
    """A document's metadata. The file name is T2: null for a caller who may not read T2 on the case. Who
    uploaded it is null when it names a safe house's provider or a health service the caller may not read
    (`uploaded_by_withheld`, `agency_withheld`; decision 0020)."""

    filename = serializers.SerializerMethodField()
    # Why it was withdrawn is T2, like the file name: null for a caller who may not read T2.
    withdrawal_reason = serializers.SerializerMethodField()
    uploaded_by_withheld = WithheldField("uploaded_by")

    class Meta:
        model = CaseDocument
        fields = [
            "id",
            "tier",
            "kind",
            "filename",
            "content_type",
            "size",
            "content_hmac",
            "uploaded_by",
            "uploaded_by_username",
            "uploaded_by_display_name",
            "uploaded_by_withheld",
            "agency",
            "agency_name",
            "agency_withheld",
            "created_at",
            "withdrawn_at",
            "withdrawn_by",
            "withdrawal_reason",
            "version",
        ]

    def get_filename(self, document: CaseDocument) -> str | None:
        return document.filename if self.context.get("show_names") else None

    def get_withdrawal_reason(self, document: CaseDocument) -> str | None:
        return document.withdrawal_reason if self.context.get("show_names") else None


class DocumentWithdrawSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=MAX_WITHDRAWAL_REASON)
    version = version()


class DocumentUploadSerializer(serializers.Serializer):
    file = serializers.FileField(allow_empty_file=False)
    kind = serializers.ChoiceField(choices=DocumentKind.choices)
    tier = serializers.ChoiceField(choices=NoteTier.choices)


NOT_FOUND = api_errors.error_response("No such case or document, or not visible to the caller.")
STALE = api_errors.error_response("Stale version: `current` holds the document as it is now.")


class DocumentList(CaseRecordList):
    summary = "Documents on a case"
    description = "Document metadata at the tiers the caller may read, newest first."
    refusals = {404: NOT_FOUND}
    model = CaseDocument
    serializer_class = DocumentSerializer
    parser_classes = [MultiPartParser]

    def initialize_request(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Request:
        # Uploads stay in memory up to the limit; nothing is spooled in clear to a temporary file.
        if request.method == "POST":
            self.upload = use_bounded_upload(request)
        return super().initialize_request(request, *args, **kwargs)

    def records(self, case: Case, tiers: frozenset[int]) -> QuerySet[CaseDocument]:
        return case_documents(case, tiers)

    def get_serializer_context(self) -> dict[str, Any]:
        tiers: frozenset[int] = getattr(self, "tiers", frozenset())
        return {**super().get_serializer_context(), "show_names": 2 in tiers, "tiers": tiers}

    def shown(self, page: list[Any]) -> None:
        _user, membership = acting(self.request)
        documents_shown(self.case, membership, page, self.tiers)

    @extend_schema(
        summary="Upload a document",
        description=(
            "Multipart upload of one file (PDF, PNG, JPEG, plain text, DOCX or ODT, recognised by "
            "content; at most the configured size), stored encrypted at a tier the caller may write."
        ),
        request={"multipart/form-data": DocumentUploadSerializer},
        responses={
            201: DocumentSerializer,
            400: BAD_REQUEST,
            404: NOT_FOUND,
            413: api_errors.error_response("The file is larger than the limit."),
        },
    )
    def post(self, request: Request, reference: str) -> Response:
        case, tiers = visible_case(request, reference)
        user, membership = acting(request)
        serializer = DocumentUploadSerializer(data=request.data)
        if self.upload.too_large:
            raise api_errors.TooLarge
        serializer.is_valid(raise_exception=True)
        upload = serializer.validated_data["file"]
        document = case_document_add(
            actor=user,
            membership=membership,
            case=case,
            content=upload.read(),
            filename=upload.name or "",
            kind=serializer.validated_data["kind"],
            tier=serializer.validated_data["tier"],
        )
        data = DocumentSerializer(document, context={"show_names": 2 in tiers, "tiers": tiers}).data
        return Response(data, status=status.HTTP_201_CREATED)


class DocumentDetail(CaseRead):
    reading = Reading("One document's metadata", DocumentSerializer)
    refusals = {404: NOT_FOUND}

    def read(self, case: Case, tiers: frozenset[int], **ids: Any) -> Any:
        _user, membership = acting(self.request)
        document = case_document_for(membership, case, ids["document_id"])
        return DocumentSerializer(document, context={"show_names": 2 in tiers, "tiers": tiers}).data


class DocumentDownload(APIView):
    palermo_roles = API_ROLES

    @extend_schema(
        summary="Download a document",
        description=(
            "The file's bytes as an attachment, never cached; every download is recorded in the audit log at "
            "the document's tier. A withdrawn document is not handed out (404)."
        ),
        responses={
            (200, "application/octet-stream"): OpenApiResponse(OpenApiTypes.BINARY),
            404: NOT_FOUND,
        },
    )
    def get(self, request: Request, reference: str, document_id: int) -> HttpResponse:
        case, _tiers = visible_case(request, reference)
        user, membership = acting(request)
        download = case_document_download(
            actor=user, membership=membership, case=case, document_id=document_id
        )
        response = attachment_response(
            download.content, download.document.content_type, download.document.filename
        )
        response["Cache-Control"] = "no-store, private, max-age=0"
        return response


class DocumentWithdraw(CaseAction):
    summary = "Withdraw a document"
    description = (
        "Withdraw a document (kept and listed as withdrawn, no longer downloaded), with a reason, stating "
        "the version read. Its uploader, or a case team member who may write its tier, may do it. Already "
        "withdrawn: 400. A stale version: 409 with the document as it is now."
    )
    input = DocumentWithdrawSerializer
    output = DocumentSerializer
    refusals = {400: BAD_REQUEST, 404: NOT_FOUND, 409: STALE}

    def perform(self, user: Any, membership: Any, target: Any, data: dict[str, Any]) -> Any:
        return case_document_withdraw(
            actor=user,
            membership=membership,
            case=target,
            document_id=self.kwargs["document_id"],
            reason=data["reason"],
            expected_version=data["version"],
        )

    def answer(self, case: Case, tiers: frozenset[int], record: Any) -> Any:
        return DocumentSerializer(record, context={"show_names": 2 in tiers, "tiers": tiers}).data

    def current(self, case: Case, tiers: frozenset[int], row: Any, **ids: Any) -> Any:
        return self.answer(case, tiers, row)
