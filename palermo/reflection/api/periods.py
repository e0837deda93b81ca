"""Reflection periods in the API: read a case's period with its extensions and entitlements, open one on
request, extend it, end it early, and record an entitlement's status; the same services as the screens.

The reasons of extensions and an early end (T2, the migration authority's legal reasons) are given only to
callers allowed T2 on the case, entitlement notes (T4) only to callers allowed T4 (null for others), and that
read is recorded. Every change states the version read; a stale one answers 409 with the period as it is now.
"""

from __future__ import annotations

from typing import Any, ClassVar

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.request import Request

from palermo.access.serializers import TieredModelSerializer
from palermo.accounts.active import acting
from palermo.cases.endpoints import CaseAction, CaseRead, Reading
from palermo.cases.models import Case
from palermo.core import api_errors
from palermo.core.api_errors import BAD_REQUEST
from palermo.core.api_fields import version
from palermo.core.api_records import AgencyNamed
from palermo.reflection.models import (
    Entitlement,
    EntitlementKind,
    EntitlementStatus,
    OpenedBy,
    ReflectionExtension,
    ReflectionPeriod,
)
from palermo.reflection.selectors import (
    days_left,
    entitlement_of,
    entitlements_shown,
    ordered_entitlements,
    period_shown,
    required_period,
)
from palermo.reflection.services.common import REASON_MAX_LENGTH
from palermo.reflection.services.entitlements import entitlement_update
from palermo.reflection.services.periods import (
    MAX_EXTENSION_DAYS,
    period_end_early,
    period_extend,
    period_request,
)

NOT_FOUND = api_errors.error_response(
    "No such case, not visible to the caller, no reflection period on it, or the caller may not make this "
    "change (the same answer)."
)
STALE = api_errors.error_response("Stale version: `current` holds the period as it is now; nothing changed.")


class ExtensionSerializer(AgencyNamed, TieredModelSerializer):
    class Meta:
        model = ReflectionExtension
        fields = ["days", "previous_end", "new_end", "reason", "agency", "agency_name", "extended_at"]


class EntitlementSerializer(TieredModelSerializer):
    kind = serializers.ChoiceField(choices=EntitlementKind.choices, read_only=True)
    status = serializers.ChoiceField(choices=EntitlementStatus.choices, read_only=True)

    class Meta:
        model = Entitlement
        fields = ["kind", "due_on", "status", "status_on", "note", "version"]


class PeriodSerializer(AgencyNamed, TieredModelSerializer):
    reference = serializers.CharField(source="case.reference", read_only=True)
    opened_by = serializers.ChoiceField(choices=OpenedBy.choices, read_only=True)
    days_left = serializers.SerializerMethodField()
    extensions = serializers.SerializerMethodField()
    entitlements = serializers.SerializerMethodField()

    class Meta:
        model = ReflectionPeriod
        fields = [
            "reference",
            "opened_by",
            "decision",
            "starts_on",
            "ends_on",
            "days_left",
            "length_days",
            "minimum_days",
            "rulebook",
            "ended_early_on",
            "early_end_reason",
            "agency",
            "agency_name",
            "opened_at",
            "version",
            "extensions",
            "entitlements",
        ]

    @extend_schema_field(
        serializers.IntegerField(allow_null=True, help_text="Days after today; null when not running.")
    )
    def get_days_left(self, period: ReflectionPeriod) -> int | None:
        return days_left(period)

    @extend_schema_field(ExtensionSerializer(many=True))
    def get_extensions(self, period: ReflectionPeriod) -> Any:
        return ExtensionSerializer(period.extensions.all(), many=True, context=self.context).data

    @extend_schema_field(EntitlementSerializer(many=True))
    def get_entitlements(self, period: ReflectionPeriod) -> Any:
        return EntitlementSerializer(ordered_entitlements(period), many=True, context=self.context).data


class ExtendSerializer(serializers.Serializer):
    days = serializers.IntegerField(min_value=1, max_value=MAX_EXTENSION_DAYS)
    reason = serializers.CharField(max_length=REASON_MAX_LENGTH)
    expected_version = version()


class EndEarlySerializer(serializers.Serializer):
    on = serializers.DateField(required=False, help_text="The last protected day; default today.")
    reason = serializers.CharField(max_length=REASON_MAX_LENGTH)
    expected_version = version()


class EntitlementUpdateSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=EntitlementStatus.choices)
    on = serializers.DateField(required=False, allow_null=True, help_text="Default today; ignored for due.")
    note = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=REASON_MAX_LENGTH,
        help_text="T4; leave out to keep the note as it is.",
    )
    expected_version = version()


def _period_data(request: Request, case: Case, tiers: frozenset[int]) -> Any:
    """The period as the caller may see it (reasons with T2, notes with T4, that read recorded)."""
    fresh = required_period(case)  # re-read with its extensions and entitlements as they are now
    _user, membership = acting(request)
    return PeriodSerializer(period_shown(membership, fresh, tiers), context={"tiers": tiers}).data


class PeriodChange(CaseAction):
    # A change of the case's period: the answer is the period as the caller may see it.
    output: ClassVar[Any] = PeriodSerializer
    refusals = {400: BAD_REQUEST, 404: NOT_FOUND, 409: STALE}

    def target(self, case: Case, **ids: Any) -> Any:
        return required_period(case)

    def answer(self, case: Case, tiers: frozenset[int], record: Any) -> Any:
        return _period_data(self.request, case, tiers)


class PeriodDetail(PeriodChange):
    summary = "Open the reflection period on request"
    description = (
        "Before a presumed victim decision, someone on the case team (first responder, case manager, "
        "identification authority, migration officer) opens the period for the rulebook's length. A case "
        "still in identification moves to the reflection phase when the opener may move it."
    )
    input = None
    refusals = {400: BAD_REQUEST, 404: NOT_FOUND}
    created = True

    reading = Reading(
        "The case's reflection period",
        PeriodSerializer,
        "Dates, length, extensions and entitlements. Reasons only with T2 access, entitlement notes only "
        "with T4 access.",
    )
    service = period_request

    def read(self, case: Case, tiers: frozenset[int], **ids: Any) -> Any:
        return _period_data(self.request, case, tiers)

    def target(self, case: Case, **ids: Any) -> Any:
        return case


class PeriodExtend(PeriodChange):
    summary = "Extend the reflection period"
    description = "Add days to a running period, with the reason (T2), where the rulebook allows it."
    input = ExtendSerializer
    service = period_extend
    acts_on = "period"


class PeriodEndEarly(PeriodChange):
    summary = "End the reflection period early"
    description = "From today or a later day within the period, with the reason (T2)."
    input = EndEarlySerializer
    service = period_end_early
    acts_on = "period"


class EntitlementList(CaseRead):
    reading = Reading(
        "The period's entitlements",
        EntitlementSerializer(many=True),
        "Each with its due date and status; notes only with T4 access.",
    )
    refusals = {404: NOT_FOUND}

    def read(self, case: Case, tiers: frozenset[int], **ids: Any) -> Any:
        _user, membership = acting(self.request)
        items = entitlements_shown(membership, required_period(case), tiers)
        return EntitlementSerializer(items, many=True, context={"tiers": tiers}).data


class EntitlementDetail(PeriodChange):
    method = "patch"
    summary = "Record an entitlement's status"
    description = (
        "Provided, declined by the person, not needed (with the day), or due again. A note is T4 and "
        "needs T4 write access; without one the note stays as it was."
    )
    input = EntitlementUpdateSerializer
    output = EntitlementSerializer
    service = entitlement_update
    acts_on = "entitlement"

    def target(self, case: Case, **ids: Any) -> Any:
        return entitlement_of(required_period(case), ids["kind"])

    def answer(self, case: Case, tiers: frozenset[int], record: Any) -> Any:
        return EntitlementSerializer(record, context={"tiers": tiers}).data

    def current(self, case: Case, tiers: frozenset[int], row: Any, **ids: Any) -> Any:
        return _period_data(self.request, case, tiers)
