"""The exchange in the API (docs/decisions/0052): upload an HTCDS file (a job, 202), follow the job's progress
and result, and the downloads (HTCDS sealed, CTDC CSV). Refusals in the one error shape; a role without the
right, or another member's job: 404."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_field
from rest_framework import serializers
from rest_framework.parsers import MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from palermo.accounts.active import acting
from palermo.cases.services.intake import identification_agencies
from palermo.core.api_errors import BAD_REQUEST, error_response
from palermo.exchange import jobs
from palermo.exchange.models import ImportJob
from palermo.exchange.roles import may_import
from palermo.exchange.web import EXCHANGE_ROLES, SEALED_TYPE, export_response

NOT_FOUND = error_response("No such import, or not the caller's; or a role that may not do this.")


class BadRowSerializer(serializers.Serializer):
    line = serializers.IntegerField(help_text="The line in the file (1 is the header).")
    reason = serializers.CharField()


class ImportJobSerializer(serializers.ModelSerializer):
    percent = serializers.IntegerField(
        allow_null=True, help_text="Null while it cannot be told (checking the file; writing on SQLite)."
    )
    bad_rows = serializers.SerializerMethodField()

    class Meta:
        model = ImportJob
        fields = [
            "id",
            "status",
            "stage",
            "total",
            "done",
            "percent",
            "written",
            "bad_count",
            "bad_rows",
            "created_at",
            "finished_at",
        ]
        read_only_fields = fields

    @extend_schema_field(BadRowSerializer(many=True))
    def get_bad_rows(self, job: ImportJob) -> list[dict[str, Any]]:
        return (
            [{"line": line, "reason": reason} for line, reason in jobs.bad_rows(job)] if job.bad_count else []
        )


class ImportInSerializer(serializers.Serializer):
    file = serializers.FileField(
        help_text="An HTCDS 2.0 CSV file (UTF-8), or a sealed export of this installation."
    )
    identification_agency = serializers.PrimaryKeyRelatedField(
        queryset=identification_agencies(),
        help_text="The identification authority the cases are referred to.",
    )


def _job(request: Request, job_id: int) -> ImportJob:
    _, membership = acting(request)
    try:
        return jobs.import_job_for(membership, job_id)
    except ImportJob.DoesNotExist:
        raise Http404 from None


class Imports(APIView):
    palermo_roles = frozenset(EXCHANGE_ROLES)
    parser_classes = [MultiPartParser]

    @extend_schema(
        summary="Import an HTCDS 2.0 file (all or nothing)",
        description=(
            "Queues the import in the background and answers the job (202); GET the job to follow its "
            "progress and read its result: `done` with the cases opened, or `refused` with every bad row "
            "(line and reason) and nothing written."
        ),
        request={"multipart/form-data": ImportInSerializer},
        responses={202: ImportJobSerializer, 400: BAD_REQUEST, 404: NOT_FOUND},
    )
    def post(self, request: Request) -> Response:
        user, membership = acting(request)
        if not may_import(membership):
            raise Http404
        sent = ImportInSerializer(data=request.data)
        sent.is_valid(raise_exception=True)
        data: dict[str, Any] = dict(sent.validated_data)  # type: ignore[arg-type]
        job = jobs.import_job_start(
            actor=user,
            membership=membership,
            identification_agency=data["identification_agency"],
            data=data["file"].read(),
        )
        return Response(ImportJobSerializer(jobs.import_job_for(membership, job.pk)).data, status=202)


class ImportDetail(APIView):
    palermo_roles = frozenset(EXCHANGE_ROLES)

    @extend_schema(
        summary="An import's progress and result", responses={200: ImportJobSerializer, 404: NOT_FOUND}
    )
    def get(self, request: Request, job_id: int) -> Response:
        return Response(ImportJobSerializer(_job(request, job_id)).data)


class Export(APIView):
    palermo_roles = frozenset(EXCHANGE_ROLES)

    @extend_schema(
        summary="Download an export: `htcds` (sealed) or `ctdc` (CSV)",
        description=(
            "`htcds`: the cases the caller may read at T2, as HTCDS 2.0 CSV sealed under this "
            "installation's key ring (only it opens the file, to import it). `ctdc`: the CTDC's variables, "
            "k-anonymised. Each is on the audit record."
        ),
        responses={
            (200, SEALED_TYPE): OpenApiResponse(OpenApiTypes.BINARY, description="The sealed HTCDS file."),
            (200, "text/csv"): OpenApiResponse(OpenApiTypes.STR, description="The CTDC CSV."),
            404: NOT_FOUND,
        },
    )
    def get(self, request: Request, kind: str) -> HttpResponse:
        user, membership = acting(request)
        return export_response(user, membership, kind)
