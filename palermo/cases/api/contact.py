"""How to reach the person safely, in the API: read at T2, changed at T2 with the case's version."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404
from rest_framework import serializers
from rest_framework.request import Request

from palermo.access.policy import can_write
from palermo.access.tiers import Tier
from palermo.accounts.active import acting
from palermo.cases.api.cases import BAD_REQUEST, NOT_FOUND
from palermo.cases.endpoints import CaseAction, Reading
from palermo.cases.models import Case, ContactRoute
from palermo.cases.selectors import contact_channel_read
from palermo.cases.services.contact import case_contact_channel_set
from palermo.cases.web import visible_case
from palermo.core import api_errors
from palermo.core.api_fields import version


class ContactChannelSerializer(serializers.Serializer):
    # Empty: not agreed yet.
    contact_channel = serializers.ChoiceField(
        choices=[("", "not agreed"), *ContactRoute.choices], source="channel"
    )
    version = version(source="expected_version")


def _shown(case: Case) -> dict[str, object]:
    return {"contact_channel": case.contact_channel, "version": case.version}


class ContactChannel(CaseAction):
    reading = Reading(
        "How to reach the person safely",
        ContactChannelSerializer,
        "Contact data (T2): 404 for a caller who may not read T2 on the case.",
    )
    method = "put"
    summary = "Change how to reach the person safely"
    description = "Needs write access at T2; states the case's version read (409 when stale)."
    input = ContactChannelSerializer
    output = ContactChannelSerializer
    refusals = {
        400: BAD_REQUEST,
        404: NOT_FOUND,
        409: api_errors.error_response("Stale version: `current` holds the channel as it is now."),
    }
    service = case_contact_channel_set

    def case_of(self, request: Request, reference: str) -> tuple[Case, frozenset[int]]:
        case, tiers = visible_case(request, reference)
        if Tier.IDENTITY not in tiers:
            raise Http404
        return case, tiers

    def read(self, case: Case, tiers: frozenset[int], **ids: Any) -> Any:
        _user, membership = acting(self.request)
        return {"contact_channel": contact_channel_read(membership, case), "version": case.version}

    def target(self, case: Case, **ids: Any) -> Any:
        _user, membership = acting(self.request)
        if not can_write(membership, case, Tier.IDENTITY):
            raise PermissionDenied
        return case

    def answer(self, case: Case, tiers: frozenset[int], record: Any) -> Any:
        return _shown(record)

    def current(self, case: Case, tiers: frozenset[int], row: Any, **ids: Any) -> Any:
        return _shown(row)
