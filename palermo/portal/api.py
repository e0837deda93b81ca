"""Contact requests in the API, for the duty workers of the agency they went to: the list (waiting ones and
those the caller picked up), one (with how to reach the person once the caller picked it up), and picking one
up. The same selectors and service as the pages; anyone else gets 404."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from palermo.accounts.active import acting
from palermo.accounts.endpoints import ActingAction
from palermo.accounts.models import Membership
from palermo.cases.lists import ActingAgencyList
from palermo.core import api_errors
from palermo.core.api_errors import BAD_REQUEST
from palermo.portal.models import ContactRequest
from palermo.portal.selectors import contact_request_for, contact_requests_of, reach_of
from palermo.portal.services import DUTY_ROLES, contact_request_pick_up

MAX_ID = 2**31 - 1
NOT_FOUND = api_errors.error_response(
    "No such request waiting for the caller's agency (any other looks the same)."
)
STALE = api_errors.error_response("Stale version: `current` holds the request now.")


class ContactRequestSerializer(serializers.ModelSerializer):
    class Meta:
        model = ContactRequest
        fields = ["id", "channel", "language", "region", "created_at", "expires_at", "status", "version"]
        read_only_fields = fields


class ReachSerializer(serializers.Serializer):
    contact = serializers.CharField(help_text="The phone number or messaging contact, if given.")
    meeting = serializers.CharField(help_text="The place and time to meet, if that was the channel.")


class ContactRequestDetailSerializer(ContactRequestSerializer):
    reach = ReachSerializer(
        allow_null=True, read_only=True, help_text="Only for the worker who picked it up."
    )

    class Meta(ContactRequestSerializer.Meta):
        fields = [*ContactRequestSerializer.Meta.fields, "reach"]
        read_only_fields = fields


class PickUpSerializer(serializers.Serializer):
    expected_version = serializers.IntegerField(min_value=1, max_value=MAX_ID)


def _detail(membership: Membership, row: ContactRequest) -> dict[str, Any]:
    reach = reach_of(membership, row)
    data = dict(ContactRequestSerializer(row).data)
    data["reach"] = None if reach is None else {"contact": reach.contact, "meeting": reach.meeting}
    return data


class ContactRequestList(ActingAgencyList):
    palermo_roles = DUTY_ROLES
    summary = "Contact requests for my agency"
    description = (
        "Left on the public portal for the caller's agency: waiting ones, and those the caller picked up."
    )
    serializer_class = ContactRequestSerializer
    model = ContactRequest

    def rows(self, membership: Membership) -> Any:
        return contact_requests_of(membership)


class ContactRequestDetail(APIView):
    palermo_roles = DUTY_ROLES

    @extend_schema(
        summary="One contact request", responses={200: ContactRequestDetailSerializer, 404: NOT_FOUND}
    )
    def get(self, request: Request, pk: int) -> Response:
        _user, membership = acting(request)
        return Response(_detail(membership, contact_request_for(membership, pk)))


class ContactRequestPickUp(ActingAction):
    """Pick up a contact request

    Takes it off the colleagues' list and answers how to reach the person. 400 once taken or lapsed; 409
    when the version is stale."""

    palermo_roles = DUTY_ROLES
    input = PickUpSerializer
    output = ContactRequestDetailSerializer
    refusals = {400: BAD_REQUEST, 404: NOT_FOUND, 409: STALE}
    service = contact_request_pick_up

    def target(self, request: Request, **ids: Any) -> Any:
        return contact_request_for(acting(request).membership, ids["pk"])

    def answer(self, request: Request, result: Any) -> Any:
        return _detail(acting(request).membership, result)

    def current(self, request: Request, row: Any) -> Any:
        return ContactRequestSerializer(row).data
