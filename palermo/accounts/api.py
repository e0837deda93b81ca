from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from palermo.access.declare import ANY_MEMBER
from palermo.accounts.active import active_membership


class MembershipSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    agency = serializers.CharField(source="agency.name")
    agency_type = serializers.CharField(source="agency.type")
    role = serializers.CharField()


class MeSerializer(serializers.Serializer):
    username = serializers.CharField()
    active_membership = MembershipSerializer(allow_null=True)
    memberships = MembershipSerializer(many=True)


class MeView(APIView):
    """Who am I acting as: the signed-in user, the active membership and all memberships."""

    palermo_roles = ANY_MEMBER

    @extend_schema(responses=MeSerializer)
    def get(self, request: Request) -> Response:
        data = {
            "username": request.user.get_username(),
            "active_membership": active_membership(request._request),
            "memberships": request.user.active_memberships(),  # type: ignore[union-attr]
        }
        return Response(MeSerializer(data).data)
