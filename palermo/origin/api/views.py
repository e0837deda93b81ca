"""The origin API: country information entries (search, add, change, review, mark out of date, source file,
import, export), partner organisations, and citations of entries in decisions. Every staff role reads;
writes are refused (404, as missing) to roles the access matrix does not name."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import status
from rest_framework.generics import ListAPIView
from rest_framework.pagination import PageNumberPagination
from rest_framework.parsers import MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from palermo.accounts.active import acting
from palermo.core import api_errors
from palermo.origin import selectors
from palermo.origin.api import serializers as s
from palermo.origin.citations import located
from palermo.origin.models import EntryStatus, PartnerServiceKind, Topic
from palermo.origin.services.citations import citation_add, citation_remove
from palermo.origin.services.entries import (
    EntryData,
    Upload,
    entry_create,
    entry_mark_out_of_date,
    entry_review,
    entry_update,
)
from palermo.origin.services.partners import PartnerData, partner_create, partner_update
from palermo.origin.services.transfer import entries_import
from palermo.origin.web import (
    ORIGIN_ROLES,
    PAGE_SIZE,
    citing,
    entries_found,
    entry_filters,
    export_response,
    import_format,
    partner_filters,
    source_file_response,
)

BAD_REQUEST = api_errors.error_response(
    "Invalid input; `message` and `fields` say why (an import: `rows.<line>.<field>`)."
)
NOT_FOUND = api_errors.error_response("No such record, or not allowed to change it (the same answer).")
CONFLICT = api_errors.error_response(
    "Stale version: `current` holds the record as it is now; nothing changed."
)
REFUSALS = {400: BAD_REQUEST, 404: NOT_FOUND}

ENTRY_FILTERS = [
    OpenApiParameter("country", OpenApiTypes.STR, description="ISO 3166-1 alpha-3"),
    OpenApiParameter("topic", OpenApiTypes.STR, enum=Topic.values),
    OpenApiParameter("region", OpenApiTypes.STR, description="ISO 3166-2 code within the country"),
    OpenApiParameter("status", OpenApiTypes.STR, enum=EntryStatus.values),
    OpenApiParameter("due", OpenApiTypes.BOOL, description="Only entries due for review"),
]


class Paged(PageNumberPagination):
    page_size = PAGE_SIZE


class _ListAndAdd(ListAPIView):
    """A paged list read through `read(user, **filters(query))`, and `add`: the write serializer's values
    through `create(user, membership, values)`, answered 201 with `answer(user, record)`."""

    palermo_roles = ORIGIN_ROLES
    pagination_class = Paged
    read: Any = None
    filters: Any = None
    write_serializer: Any = None
    create: Any = None
    answer: Any = None

    def get_queryset(self) -> QuerySet[Any]:
        return type(self).read(self.request.user, **type(self).filters(self.request.query_params))

    def add(self, request: Request) -> Response:
        user, membership = acting(request)
        serializer = self.write_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        record = type(self).create(user, membership, serializer.validated_data)
        return Response(type(self).answer(user, record), status=status.HTTP_201_CREATED)


def _entry(request: Request, entry_id: int) -> dict[str, Any]:
    return s.EntryDetailSerializer(selectors.entry_for(request.user, entry_id)).data  # type: ignore[arg-type]


@extend_schema_view(
    get=extend_schema(
        summary="Search country information",
        description="Entries by country, topic, region and status (paged), newest source first.",
        parameters=ENTRY_FILTERS,
        responses={200: s.EntrySerializer(many=True)},
    )
)
class EntryList(_ListAndAdd):
    serializer_class = s.EntrySerializer
    read = selectors.entries
    filters = entry_filters
    write_serializer = s.EntryWriteSerializer
    create = staticmethod(
        lambda user, membership, values: entry_create(
            actor=user, membership=membership, data=EntryData(**values)
        )
    )
    answer = staticmethod(
        lambda user, entry: s.EntryDetailSerializer(selectors.entry_for(user, entry.pk)).data
    )

    @extend_schema(
        summary="Add a country information entry",
        description="Roles the access matrix names (`edits_country_information`).",
        request=s.EntryWriteSerializer,
        responses={201: s.EntryDetailSerializer, **REFUSALS},
    )
    def post(self, request: Request) -> Response:
        return self.add(request)


class EntryDetail(APIView):
    palermo_roles = ORIGIN_ROLES

    @extend_schema(
        summary="One entry, with its revisions", responses={200: s.EntryDetailSerializer, 404: NOT_FOUND}
    )
    def get(self, request: Request, entry_id: int) -> Response:
        return Response(_entry(request, entry_id))

    @extend_schema(
        summary="Change an entry",
        description="State the version read. A change of content makes a new revision; citations keep "
        "theirs.",
        request=s.EntryUpdateSerializer,
        responses={200: s.EntryDetailSerializer, 409: CONFLICT, **REFUSALS},
    )
    def put(self, request: Request, entry_id: int) -> Response:
        user, membership = acting(request)
        entry = selectors.entry_for(user, entry_id)
        serializer = s.EntryUpdateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        with api_errors.shows_current(lambda current: _entry(request, entry_id)):
            entry_update(
                actor=user,
                membership=membership,
                entry=entry,
                data=EntryData(**s.without_version(data)),
                expected_version=data["expected_version"],
            )
        return Response(_entry(request, entry_id))


class _EntryStep(APIView):
    palermo_roles = ORIGIN_ROLES
    step: Any = None

    def post(self, request: Request, entry_id: int) -> Response:
        user, membership = acting(request)
        entry = selectors.entry_for(user, entry_id)
        serializer = s.VersionSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        with api_errors.shows_current(lambda current: _entry(request, entry_id)):
            type(self).step(
                actor=user,
                membership=membership,
                entry=entry,
                expected_version=serializer.validated_data["expected_version"],
            )
        return Response(_entry(request, entry_id))


STEP_SCHEMA: dict[str, Any] = {
    "request": s.VersionSerializer,
    "responses": {200: s.EntryDetailSerializer, 409: CONFLICT, **REFUSALS},
}


@extend_schema_view(
    post=extend_schema(summary="Review an entry: it still holds (reviewed today)", **STEP_SCHEMA)
)
class EntryReview(_EntryStep):
    step = entry_review


@extend_schema_view(post=extend_schema(summary="Mark an entry out of date", **STEP_SCHEMA))
class EntryOutOfDate(_EntryStep):
    step = entry_mark_out_of_date


class EntrySourceFile(APIView):
    palermo_roles = ORIGIN_ROLES
    parser_classes = [MultiPartParser]

    @extend_schema(
        summary="Download the entry's source file",
        responses={(200, "application/octet-stream"): OpenApiResponse(OpenApiTypes.BINARY), 404: NOT_FOUND},
    )
    def get(self, request: Request, entry_id: int) -> HttpResponse:
        return source_file_response(request.user, entry_id)  # type: ignore[arg-type]

    @extend_schema(
        summary="Upload (or replace) the entry's source file",
        description="PDF, plain text, Word or OpenDocument, at most 10 MB; stating the entry's version read.",
        request={"multipart/form-data": s.SourceFileSerializer},
        responses={200: s.EntryDetailSerializer, 409: CONFLICT, **REFUSALS},
    )
    def post(self, request: Request, entry_id: int) -> Response:
        user, membership = acting(request)
        entry = selectors.entry_for(user, entry_id)
        serializer = s.SourceFileSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        upload = serializer.validated_data["file"]
        values = {name: getattr(entry, name) for name in EntryData.__dataclass_fields__}
        with api_errors.shows_current(lambda current: _entry(request, entry_id)):
            entry_update(
                actor=user,
                membership=membership,
                entry=entry,
                data=EntryData(**values),
                upload=Upload(upload.name or "", upload.read()),
                expected_version=serializer.validated_data["expected_version"],
            )
        return Response(_entry(request, entry_id))


class EntryImport(APIView):
    palermo_roles = ORIGIN_ROLES
    parser_classes = [MultiPartParser]

    @extend_schema(
        summary="Import entries from a CSV or JSON file",
        description=(
            "All or nothing: one bad row refuses the file, and `fields` names every bad row as "
            "`rows.<line>.<field>` (CSV: the file's line, the header being 1; JSON: the object's position)."
        ),
        request={"multipart/form-data": s.ImportSerializer},
        responses={201: s.ImportAnswerSerializer, **REFUSALS},
    )
    def post(self, request: Request) -> Response:
        user, membership = acting(request)
        serializer = s.ImportSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        upload = serializer.validated_data["file"]
        form = serializer.validated_data.get("format") or import_format(upload.name or "")
        created = entries_import(actor=user, membership=membership, content=upload.read(), form=form)
        answer = {"created": len(created), "ids": [entry.pk for entry in created]}
        return Response(answer, status=status.HTTP_201_CREATED)


class EntryExport(APIView):
    palermo_roles = ORIGIN_ROLES

    @extend_schema(
        summary="Export entries as CSV or JSON",
        parameters=[*ENTRY_FILTERS, OpenApiParameter("format", OpenApiTypes.STR, enum=["csv", "json"])],
        responses={
            (200, "text/csv"): OpenApiResponse(OpenApiTypes.STR),
            (200, "application/json"): OpenApiResponse(OpenApiTypes.OBJECT),
        },
    )
    def get(self, request: Request) -> HttpResponse:
        found = entries_found(request.user, request.query_params)  # type: ignore[arg-type]
        return export_response(found, request.query_params.get("format", ""))


# --- partners ----------------------------------------------------------------------------------------------


@extend_schema_view(
    get=extend_schema(
        summary="Partner organisations",
        parameters=[
            OpenApiParameter("country", OpenApiTypes.STR, description="ISO 3166-1 alpha-3"),
            OpenApiParameter("service", OpenApiTypes.STR, enum=PartnerServiceKind.values),
            OpenApiParameter("language", OpenApiTypes.STR, description="ISO 639 code"),
        ],
        responses={200: s.PartnerSerializer(many=True)},
    )
)
class PartnerList(_ListAndAdd):
    serializer_class = s.PartnerSerializer
    read = selectors.partners
    filters = partner_filters
    write_serializer = s.PartnerWriteSerializer
    create = staticmethod(
        lambda user, membership, values: partner_create(
            actor=user, membership=membership, data=PartnerData(**values)
        )
    )
    answer = staticmethod(
        lambda user, partner: s.PartnerSerializer(selectors.partner_for(user, partner.pk)).data
    )

    @extend_schema(
        summary="Add a partner organisation",
        request=s.PartnerWriteSerializer,
        responses={201: s.PartnerSerializer, **REFUSALS},
    )
    def post(self, request: Request) -> Response:
        return self.add(request)


class PartnerDetail(APIView):
    palermo_roles = ORIGIN_ROLES

    @extend_schema(summary="One partner organisation", responses={200: s.PartnerSerializer, 404: NOT_FOUND})
    def get(self, request: Request, partner_id: int) -> Response:
        return Response(s.PartnerSerializer(selectors.partner_for(request.user, partner_id)).data)  # type: ignore[arg-type]

    @extend_schema(
        summary="Change a partner organisation",
        request=s.PartnerUpdateSerializer,
        responses={200: s.PartnerSerializer, 409: CONFLICT, **REFUSALS},
    )
    def put(self, request: Request, partner_id: int) -> Response:
        user, membership = acting(request)
        partner = selectors.partner_for(user, partner_id)
        serializer = s.PartnerUpdateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        current = lambda row: s.PartnerSerializer(selectors.partner_for(user, partner_id)).data  # noqa: E731
        with api_errors.shows_current(current):
            partner_update(
                actor=user,
                membership=membership,
                partner=partner,
                data=PartnerData(**s.without_version(data)),
                expected_version=data["expected_version"],
            )
        return Response(current(None))


# --- citations ---------------------------------------------------------------------------------------------


def _citations(request: Request, kind: str, decision_id: int) -> list[dict[str, Any]]:
    _user, membership = acting(request)
    located(membership, kind, decision_id)
    cited = selectors.citations_for(kind, [decision_id])[decision_id]
    return s.CitationSerializer(cited, many=True).data  # type: ignore[return-value]


class CitationList(APIView):
    palermo_roles = ORIGIN_ROLES

    @extend_schema(
        summary="Country information cited in a decision",
        description="`kind` is a registered decision kind (e.g. residence.decision). `changed`: the entry "
        "changed after it was cited; `cited_content` is what it said then.",
        responses={200: s.CitationSerializer(many=True), 404: NOT_FOUND},
    )
    def get(self, request: Request, kind: str, decision_id: int) -> Response:
        return Response(_citations(request, kind, decision_id))

    @extend_schema(
        summary="Cite an entry in a decision",
        description="Those who may decide may cite; an entry marked out of date is refused; citing twice "
        "changes nothing.",
        request=s.CiteSerializer,
        responses={201: s.CitationSerializer(many=True), **REFUSALS},
    )
    def post(self, request: Request, kind: str, decision_id: int) -> Response:
        # A decision the caller cannot see: 404 before the body.
        located(acting(request).membership, kind, decision_id)
        serializer = s.CiteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        citing(request, citation_add, kind, decision_id, entry_id=serializer.validated_data["entry"])
        return Response(_citations(request, kind, decision_id), status=status.HTTP_201_CREATED)


class CitationDetail(APIView):
    palermo_roles = ORIGIN_ROLES

    @extend_schema(summary="Remove a citation from a decision", responses={204: None, 404: NOT_FOUND})
    def delete(self, request: Request, kind: str, decision_id: int, citation_id: int) -> Response:
        citing(request, citation_remove, kind, decision_id, citation_id=citation_id)
        return Response(status=status.HTTP_204_NO_CONTENT)
