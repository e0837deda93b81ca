"""Anonymous notifications in the API: the agency's list and one (404 for another agency's), recording one,
turning one into a referral when the person agrees, and the national figures (small cells null)."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from palermo.accounts.active import acting
from palermo.accounts.endpoints import ActingAction
from palermo.anonymous.models import AnonymousNotification
from palermo.anonymous.selectors import FIGURE_READERS, Figures, figures, notification_for, notifications_of
from palermo.anonymous.services import anonymous_notification_convert, anonymous_notification_record
from palermo.cases.api_values import MonthField, as_form_data, intake_referral
from palermo.cases.exploitation import exploitation_choices
from palermo.cases.lists import ActingAgencyList
from palermo.cases.models import AgeGroup
from palermo.cases.reference import Gender
from palermo.cases.services.intake import INTAKE_ROLES
from palermo.core import api_errors, iso
from palermo.core.api_errors import BAD_REQUEST
from palermo.core.disclosure import Cell

MAX_ID = 2**31 - 1
NOT_FOUND = api_errors.error_response(
    "No such notification of the caller's agency (another's looks the same)."
)
STALE = api_errors.error_response("Stale version, or already referred: `current` holds the notification now.")


@extend_schema_field({"type": "string", "pattern": r"^\d{4}-\d{2}$", "example": "2026-03"})
class MetInMonth(MonthField):
    """A year and month, "YYYY-MM" (a recent one in the examples)."""


class NotificationSerializer(serializers.ModelSerializer):
    met_in = MetInMonth()
    exploitation_month = MetInMonth(required=False, allow_null=True, default=None)
    case_reference = serializers.CharField(source="case.reference", allow_null=True, read_only=True)

    class Meta:
        model = AnonymousNotification
        fields = [
            "id",
            "met_in",
            "gender",
            "age_group",
            "nationality",
            "exploitation_form",
            "exploitation_country",
            "exploitation_region",
            "exploitation_month",
            "rights_information_given",
            "leaflet",
            "leaflet_language",
            "status",
            "case_reference",
            "recorded_at",
            "version",
        ]
        read_only_fields = ["id", "status", "case_reference", "recorded_at", "version"]


class NotificationInSerializer(serializers.Serializer):
    """No name, no date of birth, no contact: codes and closed lists only."""

    met_in = MetInMonth(help_text="YYYY-MM: when the person was met.")
    gender = serializers.ChoiceField(choices=Gender.choices, required=False, default=Gender.UNKNOWN)
    age_group = serializers.ChoiceField(choices=AgeGroup.choices, required=False, default=AgeGroup.UNKNOWN)
    nationality = serializers.ChoiceField(choices=iso.country_choices(), required=False, allow_blank=True)
    exploitation_form = serializers.ChoiceField(choices=[], required=False, allow_blank=True)
    exploitation_country = serializers.ChoiceField(
        choices=iso.country_choices(), required=False, allow_blank=True
    )
    exploitation_region = serializers.CharField(
        required=False, allow_blank=True, max_length=10, help_text="ISO 3166-2, e.g. IT-82."
    )
    exploitation_month = MetInMonth(required=False, allow_null=True, default=None)
    rights_information_given = serializers.BooleanField()
    leaflet = serializers.CharField(required=False, allow_blank=True, max_length=100)
    leaflet_language = serializers.ChoiceField(
        choices=iso.language_choices(), required=False, allow_blank=True
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["exploitation_form"].choices = exploitation_choices()  # type: ignore[attr-defined]


class ConvertSerializer(serializers.Serializer):
    expected_version = serializers.IntegerField(min_value=1, max_value=MAX_ID)
    referral = serializers.DictField(
        child=serializers.JSONField(),
        help_text="The referral's fields, as POST /api/v1/intake/referrals/ takes them.",
    )


class ReferredSerializer(serializers.Serializer):
    reference = serializers.CharField()


class FormFigureSerializer(serializers.Serializer):
    form = serializers.CharField()
    declined = serializers.IntegerField(allow_null=True)
    referred_later = serializers.IntegerField(allow_null=True)
    withheld = serializers.ListField(child=serializers.CharField())


class FiguresSerializer(serializers.Serializer):
    declined = serializers.IntegerField(allow_null=True, help_text="null: withheld (a small cell).")
    referred_later = serializers.IntegerField(allow_null=True)
    withheld = serializers.ListField(child=serializers.CharField())
    by_form = FormFigureSerializer(many=True)


def _row(cells: dict[str, Cell[int]]) -> dict[str, Any]:
    return {
        **{name: cell.shown for name, cell in cells.items()},
        "withheld": [name for name, cell in cells.items() if cell.withheld],
    }


def figures_data(found: Figures) -> dict[str, Any]:
    return {
        **_row({"declined": found.declined, "referred_later": found.referred_later}),
        "by_form": [
            {"form": row.form, **_row({"declined": row.declined, "referred_later": row.referred_later})}
            for row in found.by_form
        ],
    }


class NotificationRecord(ActingAction):
    """Record an anonymous notification

    A possible victim met who declined to be referred: no name, date of birth or contact."""

    input = NotificationInSerializer
    output = NotificationSerializer
    refusals = {400: BAD_REQUEST}
    created = True

    def perform(self, request: Request, target: Any, data: dict[str, Any]) -> Any:
        return anonymous_notification_record(**self.acting_as(request), facts=data)


class NotificationList(ActingAgencyList):
    palermo_roles = INTAKE_ROLES
    summary = "My agency's anonymous notifications"
    description = "Possible victims the caller's agency met who declined to be referred; newest first."
    serializer_class = NotificationSerializer
    model = AnonymousNotification
    rows = staticmethod(notifications_of)

    post = NotificationRecord.lent()


class NotificationDetail(APIView):
    palermo_roles = INTAKE_ROLES

    @extend_schema(
        summary="One anonymous notification", responses={200: NotificationSerializer, 404: NOT_FOUND}
    )
    def get(self, request: Request, pk: int) -> Response:
        _user, membership = acting(request)
        return Response(NotificationSerializer(notification_for(membership, pk)).data)


class NotificationConvert(ActingAction):
    """The person agrees: make the referral

    Opens the case through the intake (an adult's referral needs the person's consent) and links it to the
    notification, all or nothing. Refused (400) once referred; 409 when the version is stale."""

    palermo_roles = INTAKE_ROLES
    input = ConvertSerializer
    output = ReferredSerializer
    refusals = {400: BAD_REQUEST, 404: NOT_FOUND, 409: STALE}
    created = True
    service = anonymous_notification_convert

    def target(self, request: Request, **ids: Any) -> Any:
        return notification_for(acting(request).membership, ids["pk"])

    def perform(self, request: Request, target: Any, data: dict[str, Any]) -> Any:
        referral = intake_referral(as_form_data(data["referral"]))
        return super().perform(
            request, target, {"referral": referral, "expected_version": data["expected_version"]}
        )

    def answer(self, request: Request, result: Any) -> Any:
        return {"reference": result.reference}

    def current(self, request: Request, row: Any) -> Any:
        return NotificationSerializer(row).data


class FiguresView(APIView):
    palermo_roles = FIGURE_READERS

    @extend_schema(
        summary="Possible victims who declined to be referred: national figures",
        description="Counts from anonymous notifications; a small cell is null and named in `withheld`.",
        responses={200: FiguresSerializer},
    )
    def get(self, request: Request) -> Response:
        return Response(FiguresSerializer(figures_data(figures())).data)
