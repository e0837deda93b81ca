"""What the children API views share: the refusals documented, and two view shapes (the records of one
kind on a case, listed and added; an action on one record of the case)."""

from __future__ import annotations

from typing import Any, ClassVar

from django.db import models
from django.http import Http404
from django.shortcuts import get_object_or_404
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from palermo.accounts.active import acting
from palermo.cases.child import case_is_child
from palermo.cases.models import Case
from palermo.cases.web import API_ROLES, BAD_REQUEST, visible_case
from palermo.children.selectors import records_shown
from palermo.core import api_errors

MAX_ID = 2**31 - 1
NOT_FOUND = api_errors.error_response(
    "No such case or record, not visible to the caller, or the caller may not record this (the same answer)."
)
BLOCKED = api_errors.error_response(
    "Held back (`blocked`): on a child's case this decision waits for a best-interest determination; or "
    "(`stale`) the record was changed since the version stated, `current` holding it as it is now."
)
WRITE_RESPONSES = {400: BAD_REQUEST, 404: NOT_FOUND, 409: BLOCKED}
CHILD_VIEWS = ("child_views", "child_not_heard_reason", "child_age_when_heard", "child_interpreter")


class ChildViewsInput(serializers.Serializer):
    """The child's views on a decision: the views, or why the child was not heard; age and interpreter."""

    child_views = serializers.CharField(required=False, allow_blank=True, max_length=20000)
    child_not_heard_reason = serializers.CharField(required=False, allow_blank=True, max_length=20000)
    child_age_when_heard = serializers.IntegerField(
        required=False, allow_null=True, min_value=0, max_value=21
    )
    child_interpreter = serializers.CharField(required=False, allow_blank=True, max_length=200)


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
        record = type(self).create(user, membership, case, dict(serializer.validated_data))
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
        with api_errors.shows_current(lambda current: self.output(current, context={"tiers": tiers}).data):
            record = type(self).act(user, membership, target, dict(serializer.validated_data))
        return Response(self.output(record, context={"tiers": tiers}).data)
