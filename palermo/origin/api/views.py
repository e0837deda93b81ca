"""The origin API: country information entries (search, add, change, review, mark out of date, source file,
import, export), partner organisations, and citations of entries in decisions. Every staff role reads;
writes are refused (404, as missing) to roles the access matrix does not name."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.pagination import PageNumberPagination
from rest_framework.parsers import MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from palermo.accounts.active import acting
from palermo.accounts.endpoints import ActingAction
from palermo.core import api_errors
from palermo.core.api_lists import CallerList, CodeChoiceField, checked_query
from palermo.origin import selectors
from palermo.origin.api import serializers as s
from palermo.origin.citations import located
from palermo.origin.models import CountryEntry, EntryStatus, Partner, PartnerServiceKind, Topic
from palermo.origin.services.citations import citation_add, citation_remove
from palermo.origin.services.common import region_problem
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


class EntryQuery(serializers.Serializer):
    """The entry search's filters; a value not in their lists is a 400 (the pages leave such a value out)."""

    country = CodeChoiceField("country")
    topic = serializers.ChoiceField(Topic.choices, required=False)
    region = serializers.CharField(
        max_length=10, required=False, help_text="ISO 3166-2 code of a region of the country given."
    )
    status = serializers.ChoiceField(EntryStatus.choices, required=False)
    due = serializers.BooleanField(required=False, help_text="Only entries due for review.")

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        problem = region_problem(attrs.get("country", ""), attrs.get("region", ""))
        if problem:
            raise serializers.ValidationError({"region": problem})
        return attrs


class PartnerQuery(serializers.Serializer):
    """The partner list's filters; a value not in their lists is a 400."""

    country = CodeChoiceField("country")
    service = serializers.ChoiceField(PartnerServiceKind.choices, required=False)
    language = CodeChoiceField("language")


class ExportQuery(EntryQuery):
    format = serializers.ChoiceField(["csv", "json"], required=False)


class Paged(PageNumberPagination):
    page_size = PAGE_SIZE


class _PagedList(CallerList):
    # A paged list read through `read(user, **filters(query))`; its POST is an OriginWrite's, lent.
    palermo_roles = ORIGIN_ROLES
    pagination_class = Paged
    read: Any = None
    filters: Any = None

    def listed(self) -> QuerySet[Any]:
        self.query_values()  # a bad value is a 400; the filters then read the query as the pages do
        return type(self).read(self.request.user, **type(self).filters(self.request.query_params))


# No docstrings on these bases: drf-spectacular would show them as the description of every endpoint.
class OriginWrite(ActingAction):
    # A write by the roles the access matrix names.
    palermo_roles = ORIGIN_ROLES
    refusals = REFUSALS


class EntryWrite(OriginWrite):
    # A write answered with the entry and its revisions; on an entry, the one the URL names.
    output = s.EntryDetailSerializer

    def target(self, request: Request, **ids: Any) -> Any:
        return selectors.entry_for(request.user, ids["entry_id"]) if "entry_id" in ids else None  # type: ignore[arg-type]

    def answer(self, request: Request, result: Any) -> Any:
        return _entry(request, result.pk)


class EntryAdd(EntryWrite):
    """Add a country information entry

    Roles the access matrix names (`edits_country_information`)."""

    input = s.EntryWriteSerializer
    created = True
    service = entry_create
    values = EntryData


class EntryChange(EntryWrite):
    """Change an entry

    State the version read. A change of content makes a new revision; citations keep theirs."""

    method = "put"
    input = s.EntryUpdateSerializer
    refusals = {409: CONFLICT, **REFUSALS}
    service = entry_update
    values = EntryData


class _EntryStep(EntryWrite):
    input = s.VersionSerializer
    refusals = {409: CONFLICT, **REFUSALS}


class EntryReview(_EntryStep):
    summary = "Review an entry: it still holds (reviewed today)"
    service = entry_review


class EntryOutOfDate(_EntryStep):
    summary = "Mark an entry out of date"
    service = entry_mark_out_of_date


class EntrySourceUpload(EntryWrite):
    """Upload (or replace) the entry's source file

    PDF, plain text, Word or OpenDocument, at most 10 MB; stating the entry's version read."""

    input = s.SourceFileSerializer
    refusals = {409: CONFLICT, **REFUSALS}

    def perform(self, request: Request, target: Any, data: dict[str, Any]) -> Any:
        # The entry's values as they are: only its file changes.
        upload = data["file"]
        return entry_update(
            **self.acting_as(request),
            entry=target,
            data=EntryData(**{name: getattr(target, name) for name in EntryData.__dataclass_fields__}),
            upload=Upload(upload.name or "", upload.read()),
            expected_version=data["expected_version"],
        )


def _entry(request: Request, entry_id: int) -> dict[str, Any]:
    return s.EntryDetailSerializer(selectors.entry_for(request.user, entry_id)).data  # type: ignore[arg-type]


class EntryList(_PagedList):
    summary = "Search country information"
    description = "Entries by country, topic, region and status (paged), newest source first."
    query = EntryQuery
    refusals = {400: BAD_REQUEST}
    serializer_class = s.EntrySerializer
    model = CountryEntry
    read = selectors.entries
    filters = entry_filters
    post = EntryAdd.lent()


class EntryDetail(APIView):
    palermo_roles = ORIGIN_ROLES

    @extend_schema(
        summary="One entry, with its revisions", responses={200: s.EntryDetailSerializer, 404: NOT_FOUND}
    )
    def get(self, request: Request, entry_id: int) -> Response:
        return Response(_entry(request, entry_id))

    put = EntryChange.lent()


class EntrySourceFile(APIView):
    palermo_roles = ORIGIN_ROLES
    parser_classes = [MultiPartParser]

    @extend_schema(
        summary="Download the entry's source file",
        responses={(200, "application/octet-stream"): OpenApiResponse(OpenApiTypes.BINARY), 404: NOT_FOUND},
    )
    def get(self, request: Request, entry_id: int) -> HttpResponse:
        return source_file_response(request.user, entry_id)  # type: ignore[arg-type]

    post = EntrySourceUpload.lent()


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
        parameters=[ExportQuery],
        responses={
            (200, "text/csv"): OpenApiResponse(OpenApiTypes.STR),
            (200, "application/json"): OpenApiResponse(OpenApiTypes.OBJECT),
            400: BAD_REQUEST,
        },
    )
    def get(self, request: Request) -> HttpResponse:
        checked_query(ExportQuery, request.query_params)
        found = entries_found(request.user, request.query_params)  # type: ignore[arg-type]
        return export_response(found, request.query_params.get("format", ""))


# --- partners ----------------------------------------------------------------------------------------------


class PartnerWrite(OriginWrite):
    # A write answered with the partner organisation; on one, the one the URL names.
    output = s.PartnerSerializer
    values = PartnerData

    def target(self, request: Request, **ids: Any) -> Any:
        return selectors.partner_for(request.user, ids["partner_id"]) if "partner_id" in ids else None  # type: ignore[arg-type]

    def answer(self, request: Request, result: Any) -> Any:
        return s.PartnerSerializer(selectors.partner_for(request.user, result.pk)).data  # type: ignore[arg-type]


class PartnerAdd(PartnerWrite):
    summary = "Add a partner organisation"
    input = s.PartnerWriteSerializer
    created = True
    service = partner_create


class PartnerChange(PartnerWrite):
    summary = "Change a partner organisation"
    method = "put"
    input = s.PartnerUpdateSerializer
    refusals = {409: CONFLICT, **REFUSALS}
    service = partner_update


class PartnerList(_PagedList):
    summary = "Partner organisations"
    query = PartnerQuery
    refusals = {400: BAD_REQUEST}
    serializer_class = s.PartnerSerializer
    model = Partner
    read = selectors.partners
    filters = partner_filters
    post = PartnerAdd.lent()


class PartnerDetail(APIView):
    palermo_roles = ORIGIN_ROLES

    @extend_schema(summary="One partner organisation", responses={200: s.PartnerSerializer, 404: NOT_FOUND})
    def get(self, request: Request, partner_id: int) -> Response:
        return Response(s.PartnerSerializer(selectors.partner_for(request.user, partner_id)).data)  # type: ignore[arg-type]

    put = PartnerChange.lent()


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
