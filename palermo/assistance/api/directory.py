"""The service directory in the API (no personal data): list with filters, one service, add and change."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import status
from rest_framework.generics import ListAPIView
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from palermo.accounts.active import acting
from palermo.accounts.models import Agency
from palermo.accounts.roles import Role
from palermo.assistance import selectors
from palermo.assistance.api import serializers as s
from palermo.assistance.api.common import CONFLICT, REFUSALS
from palermo.assistance.models import ProviderService, ServiceKind
from palermo.assistance.services.directory import ServiceData, service_create, service_update
from palermo.assistance.web import DIRECTORY_ROLES
from palermo.cases.endpoints import validated
from palermo.core import api_errors, iso


def _service_data(data: dict[str, Any]) -> ServiceData:
    fields = {key: value for key, value in data.items() if key not in ("agency", "expected_version")}
    return ServiceData(**fields)


@extend_schema_view(
    get=extend_schema(
        summary="The service directory",
        parameters=[
            OpenApiParameter("kind", OpenApiTypes.STR, enum=ServiceKind.values),
            OpenApiParameter("language", OpenApiTypes.STR, description="ISO 639 code"),
            OpenApiParameter("region", OpenApiTypes.STR),
        ],
        responses={200: s.ServiceSerializer(many=True), 404: REFUSALS[404]},
    )
)
class ServiceList(ListAPIView):
    palermo_roles = frozenset(DIRECTORY_ROLES)
    serializer_class = s.ServiceSerializer

    def get_queryset(self) -> QuerySet[ProviderService]:
        params = self.request.query_params
        kind = params.get("kind", "")
        return selectors.directory(
            kind=kind if kind in ServiceKind.values else "",
            language=iso.normalise_language(params.get("language", "")) or "",
            region=params.get("region", "")[:100],
        )

    @extend_schema(
        summary="Add a service to the directory",
        description="Administrators for any agency; members for their own agency.",
        request=s.ServiceWriteSerializer,
        responses={201: s.ServiceSerializer, **REFUSALS},
    )
    def post(self, request: Request) -> Response:
        user, membership = acting(request)
        data = validated(s.ServiceWriteSerializer, request)
        agency = membership.agency
        if membership.role == Role.SYSTEM_ADMINISTRATOR and data.get("agency"):
            found = Agency.objects.filter(pk=data["agency"], is_active=True).first()
            if found is None:
                raise ValidationError({"agency": "No such active agency."})
            agency = found
        service = service_create(actor=user, membership=membership, agency=agency, data=_service_data(data))
        return Response(
            s.ServiceSerializer(selectors.service_for(service.pk)).data, status=status.HTTP_201_CREATED
        )


class ServiceDetail(APIView):
    palermo_roles = frozenset(DIRECTORY_ROLES)

    @extend_schema(summary="One service", responses={200: s.ServiceSerializer, 404: REFUSALS[404]})
    def get(self, request: Request, service_id: int) -> Response:
        return Response(s.ServiceSerializer(selectors.service_for(service_id)).data)

    @extend_schema(
        summary="Change a service",
        description="State the version read; places cannot go below the places taken.",
        request=s.ServiceUpdateSerializer,
        responses={200: s.ServiceSerializer, 409: CONFLICT, **REFUSALS},
    )
    def put(self, request: Request, service_id: int) -> Response:
        user, membership = acting(request)
        service = selectors.service_for(service_id)
        data = validated(s.ServiceUpdateSerializer, request)
        with api_errors.shows_current(
            lambda current: s.ServiceSerializer(selectors.service_for(service_id)).data
        ):
            service_update(
                actor=user,
                membership=membership,
                service=service,
                data=_service_data(data),
                expected_version=data["expected_version"],
            )
        return Response(s.ServiceSerializer(selectors.service_for(service_id)).data)
