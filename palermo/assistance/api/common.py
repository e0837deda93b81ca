"""What every assistance API view shares: service refusals as HTTP answers, redaction by tier."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse
from rest_framework import status
from rest_framework.response import Response

from palermo.assistance.api.serializers import AssistanceErrorSerializer
from palermo.core.concurrency import StaleEdit

# 400 carries either {"detail": reason} (a refusal) or DRF's {field: [reasons]}: described as an object.
BAD_REQUEST = OpenApiResponse(OpenApiTypes.OBJECT, description="Invalid input or refused; the body says why.")
FORBIDDEN = OpenApiResponse(
    AssistanceErrorSerializer, description="The caller may not do this on this record."
)
NOT_FOUND = OpenApiResponse(description="No such record, or not visible to the caller (the same answer).")
CONFLICT = OpenApiResponse(
    AssistanceErrorSerializer, description="Stale version: someone saved first; nothing changed."
)
REFUSALS = {400: BAD_REQUEST, 403: FORBIDDEN, 404: NOT_FOUND}


class Refused(Exception):
    def __init__(self, response: Response) -> None:
        self.response = response


def _message(error: ValidationError) -> str:
    return " ".join(str(message) for message in error.messages)


def run(call: Callable[[], Any]) -> Any:
    """The service's result, or `Refused` carrying the HTTP answer to its refusal."""
    try:
        return call()
    except StaleEdit as error:
        raise Refused(
            Response({"detail": "Stale version; nothing was saved."}, status=status.HTTP_409_CONFLICT)
        ) from error
    except ValidationError as error:
        raise Refused(Response({"detail": _message(error)}, status=status.HTTP_400_BAD_REQUEST)) from error
    except PermissionDenied as error:
        raise Refused(
            Response({"detail": "Not allowed on this record."}, status=status.HTTP_403_FORBIDDEN)
        ) from error
