"""What every identification API view shares: the acting membership and errors in API terms."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from django.core.exceptions import ValidationError
from drf_spectacular.utils import OpenApiResponse
from rest_framework import serializers, status
from rest_framework.response import Response

from palermo.core.concurrency import StaleEdit
from palermo.core.web import refused_as_not_found

NOT_FOUND = OpenApiResponse(description="No such case or record, or not visible to the caller.")
CONFLICT = OpenApiResponse(description="Stale expected_version: nothing was saved.")
MAX_ID = 2**31 - 1


class ProblemsSerializer(serializers.Serializer):
    """A refusal: `problems` lists domain problems; a malformed body gives `detail`, invalid fields give
    one entry per field name (as DRF reports them)."""

    detail = serializers.CharField(required=False)
    problems = serializers.ListField(child=serializers.CharField(), required=False)


def problems_response(problems: list[str]) -> Response:
    return Response(
        {"detail": "The request could not be used.", "problems": problems}, status=status.HTTP_400_BAD_REQUEST
    )


@contextmanager
def as_api_errors() -> Iterator[None]:
    """Service refusals in API terms: not allowed is 404, a domain validation error is 400."""
    try:
        with refused_as_not_found():
            yield
    except ValidationError as error:
        raise serializers.ValidationError({"problems": [str(m) for m in error.messages]}) from None


def stale_response(stale: StaleEdit) -> Response:
    return Response(
        {
            "detail": "Saved by someone else since that version; nothing was saved.",
            "current_version": getattr(stale.current, "version", None),
        },
        status=status.HTTP_409_CONFLICT,
    )
