"""Intake in the API: drafts (create, read, update with a version, delete), submission, the duplicate check.

A draft holds the referral form's fields (`form`) exactly as the web form has them (`IntakeDataSerializer`),
so a draft started on a phone's browser can be finished through the API and the other way round. Submission
validates the draft with the same form and opens the case through the same service. Personal data travels
only in request and response bodies, never in paths or query strings.
"""

from __future__ import annotations

from typing import Any, ClassVar

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from palermo.accounts.active import acting
from palermo.accounts.endpoints import ActingAction
from palermo.accounts.models import Agency, Membership
from palermo.cases.api.cases import BAD_REQUEST
from palermo.cases.api_values import as_form_data, intake_referral
from palermo.cases.endpoints import validated
from palermo.cases.exploitation import exploitation_choices
from palermo.cases.intake_reads import duplicate_warning
from palermo.cases.lists import ActingAgencyList
from palermo.cases.models import ConsentGiver, IntakeDraft
from palermo.cases.reference import ExploitationForm, Gender
from palermo.cases.selectors import draft_shown
from palermo.cases.services.intake import (
    INTAKE_ROLES,
    ContactChannel,
    draft_data,
    draft_for,
    drafts_of,
    identification_agencies,
    intake_draft_create,
    intake_draft_discard,
    intake_draft_save,
    intake_submit,
)
from palermo.core import api_errors, iso

MAX_ID = 2**31 - 1
NOT_FOUND = api_errors.error_response("No such draft of the caller's (someone else's looks the same).")
STALE = api_errors.error_response("Stale version: `current` holds the draft as it is now; nothing was saved.")


class IntakeDataSerializer(serializers.Serializer):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Only the forms the active rulebook recognises are offered (and so in the schema).
        self.fields["exploitation_forms"].child.choices = exploitation_choices()  # type: ignore[attr-defined]

    """The referral form's fields. In a draft every field is optional; submission needs the form's required
    fields (given names, how the contact happened, the identification authority, consent and its language)."""

    given_names = serializers.CharField(required=False, allow_blank=True, max_length=200)
    family_names = serializers.CharField(required=False, allow_blank=True, max_length=200)
    given_names_latin = serializers.CharField(required=False, allow_blank=True, max_length=200)
    family_names_latin = serializers.CharField(required=False, allow_blank=True, max_length=200)
    aliases = serializers.CharField(
        required=False, allow_blank=True, max_length=5000, help_text="Other names, one per line."
    )
    birth_year = serializers.IntegerField(required=False, allow_null=True, min_value=1900, max_value=9999)
    birth_month = serializers.IntegerField(required=False, allow_null=True, min_value=1, max_value=12)
    birth_day = serializers.IntegerField(required=False, allow_null=True, min_value=1, max_value=31)
    age_estimate = serializers.IntegerField(
        required=False,
        allow_null=True,
        min_value=0,
        max_value=120,
        help_text="When no year of birth is known.",
    )
    age_uncertain = serializers.BooleanField(required=False)
    believed_child = serializers.BooleanField(required=False)
    gender = serializers.ChoiceField(choices=Gender.choices, required=False)
    citizenships = serializers.ListField(
        child=serializers.ChoiceField(choices=iso.country_choices()), required=False, max_length=10
    )
    primary_language = serializers.ChoiceField(
        choices=iso.language_choices(), required=False, allow_blank=True
    )
    primary_needs_interpreter = serializers.BooleanField(required=False)
    other_languages = serializers.ListField(
        child=serializers.ChoiceField(choices=iso.language_choices()), required=False, max_length=20
    )
    phone = serializers.CharField(required=False, allow_blank=True, max_length=40)
    current_location = serializers.CharField(required=False, allow_blank=True, max_length=2000)
    contact_channel = serializers.ChoiceField(choices=ContactChannel.CHOICES, required=False)
    contact_details = serializers.CharField(required=False, allow_blank=True, max_length=5000)
    exploitation_forms = serializers.ListField(
        child=serializers.ChoiceField(choices=ExploitationForm.choices), required=False, max_length=20
    )
    identification_agency = serializers.IntegerField(
        required=False,
        allow_null=True,
        min_value=1,
        max_value=MAX_ID,
        help_text="An identification agency's id.",
    )
    consent_given = serializers.BooleanField(required=False)
    consent_given_by = serializers.ChoiceField(choices=ConsentGiver.choices, required=False)
    consent_language = serializers.ChoiceField(
        choices=iso.language_choices(), required=False, allow_blank=True
    )


class DraftSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    version = serializers.IntegerField()
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()


class DraftDetailSerializer(DraftSerializer):
    form = serializers.DictField(
        child=serializers.JSONField(),
        help_text="The form's fields as saved: texts, or lists of texts for multiple choices.",
    )


class DraftWriteSerializer(serializers.Serializer):
    form = IntakeDataSerializer()


class DraftUpdateSerializer(DraftWriteSerializer):
    expected_version = serializers.IntegerField(min_value=1, max_value=MAX_ID)


class DraftSubmitSerializer(serializers.Serializer):
    expected_version = serializers.IntegerField(min_value=1, max_value=MAX_ID)


class SubmittedSerializer(serializers.Serializer):
    reference = serializers.CharField(help_text="The new case's reference.")


class DuplicateQuerySerializer(serializers.Serializer):
    given_names = serializers.CharField(required=False, allow_blank=True, max_length=200)
    family_names = serializers.CharField(required=False, allow_blank=True, max_length=200)
    given_names_latin = serializers.CharField(required=False, allow_blank=True, max_length=200)
    family_names_latin = serializers.CharField(required=False, allow_blank=True, max_length=200)
    birth_year = serializers.IntegerField(required=False, allow_null=True, min_value=1900, max_value=9999)
    birth_month = serializers.IntegerField(required=False, allow_null=True, min_value=1, max_value=12)
    birth_day = serializers.IntegerField(required=False, allow_null=True, min_value=1, max_value=31)


class DuplicatesSerializer(serializers.Serializer):
    visible = serializers.ListField(
        child=serializers.CharField(), help_text="References of matching cases the caller may see."
    )
    others_exist = serializers.BooleanField(
        help_text="Whether matching cases exist that the caller may not see (which ones is never said)."
    )


class AgencySerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


def detail_data(draft: IntakeDraft) -> dict[str, Any]:
    return DraftDetailSerializer(
        {
            "id": draft.pk,
            "version": draft.version,
            "created_at": draft.created_at,
            "updated_at": draft.updated_at,
            "form": draft_data(draft),
        }
    ).data  # type: ignore[return-value]


class IntakeWrite(ActingAction):
    # A write on the caller's referral drafts; on one, the one the URL names (404 for anyone else's).
    palermo_roles = INTAKE_ROLES
    output: ClassVar[Any] = DraftDetailSerializer

    def target(self, request: Request, **ids: Any) -> Any:
        return draft_for(acting(request).membership, ids["draft_id"]) if "draft_id" in ids else None

    def answer(self, request: Request, result: Any) -> Any:
        return detail_data(result)


class DraftStart(IntakeWrite):
    summary = "Start a referral draft"
    input = DraftWriteSerializer
    refusals = {400: BAD_REQUEST}
    created = True

    def perform(self, request: Request, target: Any, data: dict[str, Any]) -> Any:
        return intake_draft_create(**self.acting_as(request), data=as_form_data(data["form"]))


class DraftSave(IntakeWrite):
    """Save a referral draft

    Replace the draft's fields, stating the version read. A stale version answers 409 with the current
    version and draft; nothing is saved."""

    method = "put"
    input = DraftUpdateSerializer
    refusals = {400: BAD_REQUEST, 404: NOT_FOUND, 409: STALE}
    service = intake_draft_save

    def perform(self, request: Request, target: Any, data: dict[str, Any]) -> Any:
        values = {"data": as_form_data(data["form"]), "expected_version": data["expected_version"]}
        return super().perform(request, target, values)


class Submission(IntakeWrite):
    # A referral submitted, with or without a draft: validated with the web form and opened through the
    # service; 201 with the reference.
    output = SubmittedSerializer
    created = True

    def perform(self, request: Request, target: Any, data: dict[str, Any]) -> Any:
        form_data = as_form_data(data) if target is None else draft_data(target)
        return intake_submit(
            **self.acting_as(request),
            referral=intake_referral(form_data),
            draft=target,
            expected_version=data.get("expected_version"),
        )

    def answer(self, request: Request, result: Any) -> Any:
        return {"reference": result.reference}

    def current(self, request: Request, row: Any) -> Any:
        return detail_data(row)


class DraftList(ActingAgencyList):
    palermo_roles = INTAKE_ROLES
    summary = "My referral drafts"
    description = "The caller's unsubmitted drafts for the agency they act for, most recently saved first."
    serializer_class = DraftSerializer
    model = IntakeDraft

    def rows(self, membership: Membership) -> Any:
        return drafts_of(membership).only("pk", "version", "created_at", "updated_at")

    post = DraftStart.lent()


class DraftDetail(APIView):
    palermo_roles = INTAKE_ROLES

    @extend_schema(summary="One referral draft", responses={200: DraftDetailSerializer, 404: NOT_FOUND})
    def get(self, request: Request, draft_id: int) -> Response:
        _user, membership = acting(request)
        draft = draft_shown(membership, draft_id)
        return Response(detail_data(draft))

    put = DraftSave.lent()

    @extend_schema(summary="Delete a referral draft", responses={204: None, 404: NOT_FOUND})
    def delete(self, request: Request, draft_id: int) -> Response:
        user, membership = acting(request)
        draft = draft_for(membership, draft_id)
        intake_draft_discard(actor=user, membership=membership, draft=draft)
        return Response(status=status.HTTP_204_NO_CONTENT)


class DraftSubmit(Submission):
    """Submit a referral draft

    Open the case from the draft as saved, all or nothing: the person, the consent to referral, the first
    case team (the caller's agency and the chosen identification authority), and an email to the
    identification authority with the reference only. An adult's referral without consent is refused (400)
    and nothing is changed; a child is referred without anyone's consent (a protection duty), and a
    guardian's consent given already is recorded."""

    input = DraftSubmitSerializer
    refusals = {400: BAD_REQUEST, 404: NOT_FOUND, 409: STALE}


class ReferralSubmit(Submission):
    """Submit a referral without a draft

    As submitting a draft, with the form's fields in the body."""

    input = IntakeDataSerializer
    refusals = {400: BAD_REQUEST}


class DuplicateCheck(APIView):
    palermo_roles = INTAKE_ROLES

    @extend_schema(
        summary="Possible existing records",
        description=(
            "Cases with a person whose name (original script or Latin letters) and date of birth match "
            "exactly. Only references of cases whose identity (T2) the caller may read are given; for "
            "others, only that they exist. A check is recorded in the audit log and rate-limited per person "
            "(429 with Retry-After past it). Without a full name and a date there is no match."
        ),
        request=DuplicateQuerySerializer,
        responses={
            200: DuplicatesSerializer,
            400: BAD_REQUEST,
            429: api_errors.error_response("Too many checks by this caller; Retry-After says when."),
        },
    )
    def post(self, request: Request) -> Response:
        body = validated(DuplicateQuerySerializer, request)
        _user, membership = acting(request)
        found = duplicate_warning(membership, as_form_data(body), who=request)
        return Response({"visible": list(found.visible), "others_exist": found.others_exist})


class IdentificationAgencyList(ActingAgencyList):
    palermo_roles = INTAKE_ROLES
    summary = "Identification authorities"
    description = "The agencies a referral can go to: any with an active identification authority member."
    serializer_class = AgencySerializer
    model = Agency

    def rows(self, membership: Membership) -> Any:
        return identification_agencies().only("pk", "name")
