"""The non-removal look-up in the API, for a migration officer's session or a client system's token.

The question travels in the POST body (never the URL); the answer is only whether the person is protected
from removal and until when (a day, or a pending decision), or that a protected person's details come close
to those given ("possible match": ask the competent authority, whose contact is given).

Every look-up is audited with the user or the client system that asked, and each
caller is limited to LOOKUP_RATE look-ups (palermo.reflection.throttling); past it, 429 with Retry-After.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.authentication import SessionAuthentication
from rest_framework.permissions import BasePermission
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from palermo.accounts.active import acting
from palermo.accounts.permissions import VerifiedUser
from palermo.cases.endpoints import validated
from palermo.core.api_errors import BAD_REQUEST, error_response
from palermo.reflection.authentication import LookupTokenAuthentication
from palermo.reflection.models import LookupClient
from palermo.reflection.services.lookup import (
    MAX_QUERY_LENGTH,
    Finding,
    LookupAnswer,
    LookupQuery,
    removal_lookup,
)
from palermo.reflection.throttling import LookupThrottle
from palermo.reflection.web import LOOKUP_ROLES


class ClientOrVerifiedUser(BasePermission):
    """A client system with an active token, or a signed-in user past the second factor (whose role the
    role middleware has already checked)."""

    def has_permission(self, request: Request, view: APIView) -> bool:
        if isinstance(request.auth, LookupClient):
            return True
        return VerifiedUser().has_permission(request, view)


class LookupRequestSerializer(serializers.Serializer):
    document_number = serializers.CharField(required=False, allow_blank=True, max_length=MAX_QUERY_LENGTH)
    name = serializers.CharField(required=False, allow_blank=True, max_length=MAX_QUERY_LENGTH)
    birth_date = serializers.DateField(required=False, allow_null=True)


class LookupAnswerSerializer(serializers.Serializer):
    answer = serializers.ChoiceField(
        choices=[finding.value for finding in Finding],
        help_text="protected; possible_match (ask the competent authority before any removal); "
        "no_protection.",
    )
    protected = serializers.BooleanField(
        help_text="False only for no_protection: a possible match is to be treated as protected until the "
        "competent authority has answered."
    )
    protected_until = serializers.DateField(
        allow_null=True,
        help_text="The last protected day; null when protected until a pending decision (ask again before "
        "acting), for a possible match, or with no protection.",
    )
    contact = serializers.CharField(
        allow_null=True, help_text="For a possible match: whom to ask (the competent authority)."
    )
    message = serializers.CharField(help_text="The answer in words, in the caller's language.")


def answer_body(answer: LookupAnswer) -> dict[str, Any]:
    if answer.until_decided:
        message = _("Protected from removal until a pending decision is taken. Ask again before acting.")
    elif answer.protected:
        message = _("Protected from removal until %(day)s. Ask again before acting.") % {
            "day": answer.protected_until.isoformat() if answer.protected_until else ""
        }
    elif answer.possible_match:
        message = _("Possible match: ask the competent authority before any removal.")
    else:
        message = _("No protection on record.")
    return {
        "answer": answer.finding.value,
        "protected": answer.finding is not Finding.NO_PROTECTION,
        "protected_until": answer.protected_until,
        "contact": answer.contact or None if answer.possible_match else None,
        "message": str(message),
    }


class RemovalLookup(APIView):
    palermo_roles = frozenset(LOOKUP_ROLES)
    # Reached by client systems without a session: the login and role middlewares let a request that carries
    # `Authorization: Bearer` through to views with this flag, whose own authentication answers 401 for an
    # unknown or revoked token.
    accepts_client_token = True
    authentication_classes = [LookupTokenAuthentication, SessionAuthentication]
    permission_classes = [ClientOrVerifiedUser]
    throttle_classes = [LookupThrottle]

    @extend_schema(
        summary="May this person be removed?",
        description=(
            "By identity document number, or by full name with the date of birth (through keyed blind "
            "indexes: aliases, own script and Latin spellings, partial birth dates). Answers only whether "
            "the person is protected from removal (a referral or decision pending, a running reflection "
            "period, a residence permit, a pending asylum application...) and until when, or "
            "'possible_match' when a protected person's details come close (ask the competent authority "
            "before any removal): no case, no details. For a client system's token (Authorization: Bearer) "
            "or a migration officer's session. Every look-up is recorded in the audit log."
        ),
        request=LookupRequestSerializer,
        responses={
            200: LookupAnswerSerializer,
            400: BAD_REQUEST,
            401: error_response("No, an unknown or a revoked token."),
            403: error_response("A session without the second factor."),
            404: error_response("A signed-in user whose role may not look up."),
            429: error_response("Too many look-ups by this caller; the Retry-After header says when."),
        },
    )
    def post(self, request: Request) -> Response:
        data = validated(LookupRequestSerializer, request)
        query = LookupQuery(
            document_number=data.get("document_number") or "",  # type: ignore[union-attr]
            name=data.get("name") or "",  # type: ignore[union-attr]
            birth_date=data.get("birth_date"),  # type: ignore[union-attr]
        )
        if isinstance(request.auth, LookupClient):
            answer = removal_lookup(query=query, client=request.auth)
        else:
            user, membership = acting(request)
            answer = removal_lookup(query=query, actor=user, membership=membership)
        return Response(answer_body(answer))
