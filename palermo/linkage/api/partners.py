"""Matching across borders in the API (docs/decisions/0043): a partner NRM's question (signed with the shared
secret), and our reviewers' question to a partner about a person of a case they may read."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.permissions import BasePermission
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from palermo.accounts.active import acting
from palermo.core.api_errors import BAD_REQUEST, error_response
from palermo.linkage.authentication import PartnerSignatureAuthentication
from palermo.linkage.models import PartnerNRM
from palermo.linkage.partner_reads import partner_and_person
from palermo.linkage.services.duplicates import REVIEWERS
from palermo.linkage.services.partners import partner_question_answer, partner_question_send

MAX_ENCODING = 1000


class IsPartner(BasePermission):
    def has_permission(self, request: Request, view: Any) -> bool:
        return isinstance(request.auth, PartnerNRM)


class QuestionSerializer(serializers.Serializer):
    block = serializers.CharField(max_length=32, allow_blank=True, help_text="The keyed birth-year block.")
    encoding = serializers.CharField(max_length=MAX_ENCODING, help_text="The hardened encoding, base64.")


class AnswerSerializer(serializers.Serializer):
    answer = serializers.ChoiceField(choices=["likely_known", "not_known"])
    contact = serializers.CharField(allow_blank=True, help_text="For a formal request, when likely known.")


class PartnerQuestion(APIView):
    palermo_roles = frozenset(REVIEWERS)
    accepts_client_token = True
    authentication_classes = [PartnerSignatureAuthentication]
    permission_classes = [IsPartner]

    @extend_schema(
        summary="A partner NRM asks: is this person known to you?",
        description=(
            "Signed with the shared secret (Authorization: Bearer <partner id>.<signature>). Answers only "
            "likely_known with a contact for a formal request through the transnational referral, or "
            "not_known. Recorded in the audit log; rate-limited per partner (429 with Retry-After)."
        ),
        request=QuestionSerializer,
        responses={
            200: AnswerSerializer,
            400: BAD_REQUEST,
            401: error_response("Unknown partner or signature."),
            429: error_response("Too many questions; Retry-After says when."),
        },
    )
    def post(self, request: Request) -> Response:
        question = QuestionSerializer(data=request.data)
        question.is_valid(raise_exception=True)
        data: dict[str, Any] = dict(question.validated_data)  # type: ignore[arg-type]
        partner = request.auth
        assert isinstance(partner, PartnerNRM)  # noqa: S101 (IsPartner let it through)
        try:
            known, contact = partner_question_answer(
                partner=partner, block=data["block"], encoding=data["encoding"]
            )
        except ValueError:
            raise serializers.ValidationError(
                {"encoding": ["Not an encoding of the agreed length."]}
            ) from None
        return Response({"answer": "likely_known" if known else "not_known", "contact": contact})


class AskSerializer(serializers.Serializer):
    partner = serializers.IntegerField()
    reference = serializers.CharField(max_length=40)
    sender = serializers.CharField(max_length=20, help_text="Our id at the partner, as it registered us.")


class AskPartner(APIView):
    palermo_roles = frozenset(REVIEWERS)

    @extend_schema(
        summary="Ask a partner NRM whether it knows the person of a case",
        request=AskSerializer,
        responses={200: AnswerSerializer, 400: BAD_REQUEST, 404: error_response("No such partner or case.")},
    )
    def post(self, request: Request) -> Response:
        asked = AskSerializer(data=request.data)
        asked.is_valid(raise_exception=True)
        data: dict[str, Any] = dict(asked.validated_data)  # type: ignore[arg-type]
        user, membership = acting(request)
        partner, person = partner_and_person(membership, data["partner"], data["reference"])
        known, contact = partner_question_send(
            actor=user, membership=membership, partner=partner, person=person, sender=data["sender"]
        )
        return Response({"answer": "likely_known" if known else "not_known", "contact": contact})
