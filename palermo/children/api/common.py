"""What the children API views share: the error answers, and two view shapes (the
records of one kind on a case, listed and added; an action on one record of the case)."""

from __future__ import annotations

from typing import Any, ClassVar

from django.core.exceptions import ValidationError
from django.db import models
from django.http import Http404
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiResponse
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from palermo.accounts.active import acting
from palermo.cases.api.lifecycle import ErrorSerializer
from palermo.cases.child import case_is_child
from palermo.cases.models import Case
from palermo.cases.web import API_ROLES, BAD_REQUEST, visible_case
from palermo.children.selectors import records_shown
from palermo.core.concurrency import StaleEdit
from palermo.core.decisions import ChildViewsMissing, DecisionBlocked

MAX_ID = 2**31 - 1
NOT_FOUND = OpenApiResponse(
    description="No such case or record, or not visible to the caller (the same answer)."
)
FORBIDDEN = OpenApiResponse(ErrorSerializer, description="The caller may not record this on this case.")
BLOCKED = OpenApiResponse(
    ErrorSerializer,
    description="Held back: on a child's case this decision waits for a best-interest determination, or the "
    "record was changed since the version stated.",
)
WRITE_RESPONSES = {400: BAD_REQUEST, 403: FORBIDDEN, 404: NOT_FOUND, 409: BLOCKED}
CHILD_VIEWS = ("child_views", "child_not_heard_reason", "child_age_when_heard", "child_interpreter")


class ChildViewsInput(serializers.Serializer):
    """The child's views on a decision: the views, or why the child was not heard; age and interpreter."""

    child_views = serializers.CharField(required=False, allow_blank=True, max_length=20000)
    child_not_heard_reason = serializers.CharField(required=False, allow_blank=True, max_length=20000)
    child_age_when_heard = serializers.IntegerField(
        required=False, allow_null=True, min_value=0, max_value=21
    )
    child_interpreter = serializers.CharField(required=False, allow_blank=True, max_length=200)


def error_response(error: Exception) -> Response:
    """The answer to a refusal by a service: what to fix, never personal data."""
    if isinstance(error, DecisionBlocked):
        return Response({"detail": str(error)}, status=status.HTTP_409_CONFLICT)
    if isinstance(error, StaleEdit):
        detail = "The record was changed since that version was read; nothing was saved."
        return Response({"detail": detail}, status=status.HTTP_409_CONFLICT)
    if isinstance(error, ChildViewsMissing):
        return Response({"detail": str(error), **error.problems}, status=status.HTTP_400_BAD_REQUEST)
    assert isinstance(error, ValidationError)  # noqa: S101  (the only other refusal caught)
    if hasattr(error, "error_dict"):
        fields = {name: [str(m) for m in messages] for name, messages in error.message_dict.items()}
        return Response({"detail": " ".join(" ".join(m) for m in fields.values()), **fields}, status=400)
    return Response({"detail": " ".join(str(m) for m in error.messages)}, status=status.HTTP_400_BAD_REQUEST)


REFUSALS = (ValidationError, ChildViewsMissing, DecisionBlocked, StaleEdit)


def child_case(request: Request, reference: str) -> tuple[Case, frozenset[int]]:
    """The case (404 when not visible) if it is a child's (404 for an adult's: nothing of this area there)."""
    case, tiers = visible_case(request, reference)
    if not case_is_child(case):
        raise Http404
    return case, tiers


class RecordsView(APIView):
    """GET: a child's case's records of one kind. POST: record one through the area's service."""

    palermo_roles = API_ROLES
    output: ClassVar[type[serializers.Serializer]]
    input: ClassVar[type[serializers.Serializer]]
    # Static methods: (case) -> records, and (user, membership, case, data) -> the new record.
    records: Any
    create: Any

    def get(self, request: Request, reference: str) -> Response:
        case, tiers = child_case(request, reference)
        _user, membership = acting(request)
        records = records_shown(case, membership, tiers, list(type(self).records(case)))
        return Response(self.output(records, many=True, context={"tiers": tiers}).data)

    def post(self, request: Request, reference: str) -> Response:
        case, tiers = child_case(request, reference)
        user, membership = acting(request)
        serializer = self.input(data=request.data, context={"case": case})
        serializer.is_valid(raise_exception=True)
        try:
            record = type(self).create(user, membership, case, dict(serializer.validated_data))
        except REFUSALS as error:
            return error_response(error)
        return Response(self.output(record, context={"tiers": tiers}).data, status=status.HTTP_201_CREATED)


class RecordActionView(APIView):
    """POST: an action on one record of a child's case (end, result, review, return, follow-up)."""

    palermo_roles = API_ROLES
    model: ClassVar[type[models.Model]]
    output: ClassVar[type[serializers.Serializer]]
    input: ClassVar[type[serializers.Serializer]]
    # A static method: (user, membership, record, data) -> the changed record.
    act: Any

    def post(self, request: Request, reference: str, pk: int) -> Response:
        case, tiers = child_case(request, reference)
        user, membership = acting(request)
        target = get_object_or_404(self.model, pk=pk, case=case)
        serializer = self.input(data=request.data, context={"case": case})
        serializer.is_valid(raise_exception=True)
        try:
            record = type(self).act(user, membership, target, dict(serializer.validated_data))
        except REFUSALS as error:
            return error_response(error)
        return Response(self.output(record, context={"tiers": tiers}).data)
