"""How to reach the person safely, in the API: read at T2, changed at T2 with the case's version."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from palermo.access.policy import can_write
from palermo.access.tiers import Tier
from palermo.accounts.active import acting
from palermo.cases.api.cases import BAD_REQUEST, NOT_FOUND
from palermo.cases.models import Case, ContactRoute
from palermo.cases.services.contact import case_contact_channel_set
from palermo.cases.web import API_ROLES, visible_case
from palermo.core import api_errors


class ContactChannelSerializer(serializers.Serializer):
    # Empty: not agreed yet.
    contact_channel = serializers.ChoiceField(choices=[("", "not agreed"), *ContactRoute.choices])
    version = serializers.IntegerField(min_value=1, max_value=2**31 - 1)


def _shown(case: Case) -> dict[str, object]:
    return {"contact_channel": case.contact_channel, "version": case.version}


class ContactChannel(APIView):
    palermo_roles = API_ROLES

    @extend_schema(
        summary="How to reach the person safely",
        description="Contact data (T2): 404 for a caller who may not read T2 on the case.",
        responses={200: ContactChannelSerializer, 404: NOT_FOUND},
    )
    def get(self, request: Request, reference: str) -> Response:
        case, tiers = visible_case(request, reference)
        if Tier.IDENTITY not in tiers:
            raise Http404
        return Response(_shown(case))

    @extend_schema(
        summary="Change how to reach the person safely",
        description="Needs write access at T2; states the case's version read (409 when stale).",
        request=ContactChannelSerializer,
        responses={
            200: ContactChannelSerializer,
            400: BAD_REQUEST,
            404: NOT_FOUND,
            409: api_errors.error_response("Stale version: `current` holds the channel as it is now."),
        },
    )
    def put(self, request: Request, reference: str) -> Response:
        case, tiers = visible_case(request, reference)
        user, membership = acting(request)
        if Tier.IDENTITY not in tiers:
            raise Http404
        if not can_write(membership, case, Tier.IDENTITY):
            raise PermissionDenied
        serializer = ContactChannelSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        with api_errors.shows_current(_shown):
            case = case_contact_channel_set(
                actor=user,
                membership=membership,
                case=case,
                channel=serializer.validated_data["contact_channel"],
                expected_version=serializer.validated_data["version"],
            )
        return Response(_shown(case))
