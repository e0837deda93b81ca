"""The service directory in the API (no personal data): list with filters, one service, add and change."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from palermo.accounts.active import acting
from palermo.accounts.endpoints import ActingAction
from palermo.accounts.models import Agency, Membership
from palermo.accounts.roles import Role
from palermo.assistance import selectors
from palermo.assistance.api import serializers as s
from palermo.assistance.api.common import CONFLICT, REFUSALS
from palermo.assistance.models import ProviderService, ServiceKind
from palermo.assistance.services.directory import ServiceData, service_create, service_update
from palermo.assistance.web import DIRECTORY_ROLES
from palermo.core.api_lists import CallerList, CodeChoiceField


# No docstrings on these bases: drf-spectacular would show them as the description of every endpoint.
class DirectoryWrite(ActingAction):
    # A write of a directory entry, answered with the entry; on one, the one the URL names.
    palermo_roles = frozenset(DIRECTORY_ROLES)
    output = s.ServiceSerializer
    refusals = REFUSALS
    values = ServiceData

    def target(self, request: Request, **ids: Any) -> Any:
        return selectors.service_for(ids["service_id"]) if "service_id" in ids else None

    def answer(self, request: Request, result: Any) -> Any:
        return s.ServiceSerializer(selectors.service_for(result.pk)).data


class ServiceAdd(DirectoryWrite):
    """Add a service to the directory

    Administrators for any agency; members for their own agency."""

    input = s.ServiceWriteSerializer
    created = True
    service = service_create

    def perform(self, request: Request, target: Any, data: dict[str, Any]) -> Any:
        return super().perform(request, _provider(acting(request).membership, data.pop("agency", None)), data)


def _provider(membership: Membership, chosen: int | None) -> Agency:
    """The agency whose service is added: the caller's own, or the one a system administrator chose."""
    if membership.role != Role.SYSTEM_ADMINISTRATOR or not chosen:
        return membership.agency
    found = Agency.objects.filter(pk=chosen, is_active=True).first()
    if found is None:
        raise ValidationError({"agency": "No such active agency."})
    return found


class ServiceChange(DirectoryWrite):
    """Change a service

    State the version read; places cannot go below the places taken."""

    method = "put"
    input = s.ServiceUpdateSerializer
    refusals = {409: CONFLICT, **REFUSALS}
    service = service_update


class ServiceQuery(serializers.Serializer):
    """The directory's filters; a value not in their lists is a 400."""

    kind = serializers.ChoiceField(ServiceKind.choices, required=False)
    language = CodeChoiceField("language")
    region = serializers.CharField(max_length=100, required=False)


class ServiceList(CallerList):
    palermo_roles = frozenset(DIRECTORY_ROLES)
    summary = "The service directory"
    query = ServiceQuery
    refusals = REFUSALS
    serializer_class = s.ServiceSerializer
    model = ProviderService

    def listed(self) -> QuerySet[ProviderService]:
        wanted = self.query_values()
        return selectors.directory(
            kind=wanted.get("kind", ""), language=wanted.get("language", ""), region=wanted.get("region", "")
        )

    post = ServiceAdd.lent()


class ServiceDetail(APIView):
    palermo_roles = frozenset(DIRECTORY_ROLES)

    @extend_schema(summary="One service", responses={200: s.ServiceSerializer, 404: REFUSALS[404]})
    def get(self, request: Request, service_id: int) -> Response:
        return Response(s.ServiceSerializer(selectors.service_for(service_id)).data)

    put = ServiceChange.lent()
