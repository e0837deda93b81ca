"""Persons in the API: read at the caller's tiers, edit with a version, and their aliases, citizenships,
languages and identity documents.

A person reads as T1 facts (gender, age group, the child decision, citizenships, languages) plus one block per
higher tier: `identity` (T2), `location` (T3), `narrative` (T4), each null when the caller may not read that
tier. Reading a block above T1 is recorded in the audit log. Writes go through `services.person`, which asks
the access policy for the tier of every field written (404 when a tier may not be written). A stale version
answers 409 with the current version and the person as it is now; nothing is changed.
"""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from palermo.access.tiered import Tiered
from palermo.accounts.active import acting
from palermo.cases.age import child_basis
from palermo.cases.api.cases import BAD_REQUEST
from palermo.cases.api.intake import MAX_ID
from palermo.cases.endpoints import CaseAction, CaseRead, Reading, validated
from palermo.cases.models import (
    AgeGroup,
    BirthDatePrecision,
    Case,
    DocumentHolder,
    DocumentType,
    IdentityDocument,
    Person,
    PersonCitizenship,
    PersonLanguage,
)
from palermo.cases.reference import Gender
from palermo.cases.selectors import case_person_for, person_part_for, person_shown, persons_shown
from palermo.cases.services import person as services
from palermo.cases.services import person_subrecords as subrecords
from palermo.cases.services.person_subrecords import MAX_ALIAS, MAX_DOCUMENT_NUMBER, SubRecord
from palermo.cases.web import API_ROLES, visible_case
from palermo.core import api_errors, iso

NOT_FOUND = api_errors.error_response(
    "No such case or record on it, not visible to the caller, or a tier the caller may not write."
)
STALE = api_errors.error_response("Stale version: `current` holds the record as it is now; nothing changed.")
WRITE_RESPONSES = {400: BAD_REQUEST, 404: NOT_FOUND}
REMOVE_RESPONSES = {204: None, 404: NOT_FOUND}


class AliasSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    name = serializers.CharField(max_length=MAX_ALIAS)


class CitizenshipSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    country = serializers.ChoiceField(choices=iso.country_choices(), help_text="ISO 3166-1 alpha-3.")
    name = serializers.SerializerMethodField()

    def get_name(self, citizenship: PersonCitizenship) -> str:
        return iso.country_name(citizenship.country)


class LanguageSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    language = serializers.ChoiceField(choices=iso.language_choices(), help_text="ISO 639-2.")
    needs_interpreter = serializers.BooleanField(default=False)
    name = serializers.SerializerMethodField()

    def get_name(self, language: PersonLanguage) -> str:
        return iso.language_name(language.language)


class LanguageChangeSerializer(serializers.Serializer):
    needs_interpreter = serializers.BooleanField()


class IdentityDocumentSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    type = serializers.ChoiceField(choices=DocumentType.choices)
    number = serializers.CharField(max_length=MAX_DOCUMENT_NUMBER, required=False, allow_blank=True)
    issuing_country = serializers.ChoiceField(
        choices=iso.country_choices(), required=False, allow_blank=True, help_text="ISO 3166-1 alpha-3."
    )
    held_by = serializers.ChoiceField(choices=DocumentHolder.choices, default=DocumentHolder.UNKNOWN)
    version = serializers.IntegerField(read_only=True)


class IdentityDocumentEditSerializer(serializers.Serializer):
    expected_version = serializers.IntegerField(min_value=1, max_value=MAX_ID)
    type = serializers.ChoiceField(choices=DocumentType.choices, required=False)
    number = serializers.CharField(max_length=MAX_DOCUMENT_NUMBER, required=False, allow_blank=True)
    issuing_country = serializers.ChoiceField(choices=iso.country_choices(), required=False, allow_blank=True)
    held_by = serializers.ChoiceField(choices=DocumentHolder.choices, required=False)


class IdentityBlockSerializer(serializers.Serializer):
    """T2: who the person is and how to reach them."""

    given_names = serializers.CharField()
    family_names = serializers.CharField()
    given_names_latin = serializers.CharField()
    family_names_latin = serializers.CharField()
    birth_date = serializers.DateField(allow_null=True, help_text="Read with birth_date_precision.")
    birth_date_precision = serializers.ChoiceField(choices=BirthDatePrecision.choices)
    phone = serializers.CharField()
    email = serializers.CharField()
    aliases = AliasSerializer(many=True)
    identity_documents = IdentityDocumentSerializer(many=True)


class LocationBlockSerializer(serializers.Serializer):
    """T3: where the person is."""

    current_address = serializers.CharField()


class NarrativeBlockSerializer(serializers.Serializer):
    """T4: the note about the person."""

    note = serializers.CharField()


class PersonSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    version = serializers.IntegerField()
    gender = serializers.ChoiceField(choices=Gender.choices)
    age_group = serializers.ChoiceField(choices=AgeGroup.choices)
    age_uncertain = serializers.BooleanField()
    believed_child = serializers.BooleanField()
    child = serializers.CharField(
        help_text="by_age, possibly_under_age, presumed, adult or unknown: whether, and why, a child today."
    )
    citizenships = CitizenshipSerializer(many=True)
    languages = LanguageSerializer(many=True)
    identity = IdentityBlockSerializer(allow_null=True, help_text="Null unless the caller may read T2.")
    location = LocationBlockSerializer(allow_null=True, help_text="Null unless the caller may read T3.")
    narrative = NarrativeBlockSerializer(allow_null=True, help_text="Null unless the caller may read T4.")


class PersonUpdateSerializer(serializers.Serializer):
    """Only the fields given are changed; each needs write access to its tier."""

    expected_version = serializers.IntegerField(min_value=1, max_value=MAX_ID)
    given_names = serializers.CharField(required=False, max_length=200)
    family_names = serializers.CharField(required=False, allow_blank=True, max_length=200)
    given_names_latin = serializers.CharField(required=False, allow_blank=True, max_length=200)
    family_names_latin = serializers.CharField(required=False, allow_blank=True, max_length=200)
    birth_date = serializers.DateField(required=False, allow_null=True)
    birth_date_precision = serializers.ChoiceField(choices=BirthDatePrecision.choices, required=False)
    phone = serializers.CharField(required=False, allow_blank=True, max_length=40)
    email = serializers.EmailField(required=False, allow_blank=True, max_length=200)
    current_address = serializers.CharField(required=False, allow_blank=True, max_length=2000)
    note = serializers.CharField(required=False, allow_blank=True, max_length=20000)
    gender = serializers.ChoiceField(choices=Gender.choices, required=False)
    age_uncertain = serializers.BooleanField(required=False)
    believed_child = serializers.BooleanField(required=False)


def person_data(person: Tiered[Person]) -> dict[str, Any]:
    """A person as the selector redacted it for the caller: a block whose fields the caller may not read is
    null, never partly filled."""
    record = person.record
    # Whether the person is a child is T1, derived from the birth date the caller may not see.
    basis = child_basis(
        birth_date=record.birth_date,
        precision=record.birth_date_precision,
        age_uncertain=person.age_uncertain,
        believed_child=person.believed_child,
        on=timezone.localdate(),
    )
    data = {
        "id": person.pk,
        "version": person.version,
        "gender": person.gender,
        "age_group": person.age_group,
        "age_uncertain": person.age_uncertain,
        "believed_child": person.believed_child,
        "child": basis.value,
        "citizenships": list(person.citizenships.all()),
        "languages": list(person.languages.all()),
        "identity": _block(person, IdentityBlockSerializer),
        "location": _block(person, LocationBlockSerializer),
        "narrative": _block(person, NarrativeBlockSerializer),
    }
    return PersonSerializer(data).data  # type: ignore[return-value]


def _block(person: Tiered[Person], block: type[serializers.Serializer]) -> dict[str, Any] | None:
    """One block of a person: the model fields it names, all of one tier (the model's), or null when the
    caller may not read that tier. Its sub-records (aliases, documents) share the block's tier."""
    names = list(block().fields)
    model_fields = [name for name in names if name in PERSON_FIELDS]
    if any(person.is_hidden(name) for name in model_fields):
        return None
    return {
        name: list(getattr(person, name).all()) if name not in PERSON_FIELDS else getattr(person, name)
        for name in names
    }


PERSON_FIELDS = frozenset(field.name for field in Person._meta.concrete_fields)


class PersonList(CaseRead):
    reading = Reading(
        "Persons on a case",
        PersonSerializer(many=True),
        "Each person at the caller's tiers; reading identity, location or note is audited.",
    )
    refusals = {404: NOT_FOUND}

    def read(self, case: Case, tiers: frozenset[int], **ids: Any) -> Any:
        _user, membership = acting(self.request)
        return [person_data(person) for person in persons_shown(case, membership, tiers)]


class PersonDetail(CaseAction):
    reading = Reading("One person", PersonSerializer)
    method = "patch"
    summary = "Edit a person"
    description = (
        "Change the fields given, stating the version read. The age group and the case's child flag are "
        "recomputed. A stale version answers 409 with the current version; nothing is changed."
    )
    input = PersonUpdateSerializer
    output = PersonSerializer
    refusals = {**WRITE_RESPONSES, 409: STALE}

    def read(self, case: Case, tiers: frozenset[int], **ids: Any) -> Any:
        _user, membership = acting(self.request)
        return person_data(person_shown(case, membership, tiers, ids["person_id"]))

    def target(self, case: Case, **ids: Any) -> Any:
        return case_person_for(case, ids["person_id"])

    def perform(self, user: Any, membership: Any, target: Any, data: dict[str, Any]) -> Any:
        version = data.pop("expected_version")
        services.person_update(
            actor=user, membership=membership, person=target, changes=data, expected_version=version
        )
        return target

    def answer(self, case: Case, tiers: frozenset[int], record: Any) -> Any:
        return self.read(case, tiers, person_id=record.pk)


# --- aliases, citizenships, languages, identity documents --------------------------------------------------


def _add_part(
    request: Request,
    reference: str,
    person_id: int,
    kind: SubRecord,
    serializer_class: type[serializers.Serializer],
) -> Response:
    """One sub-record of `kind` added to a person of the case: 201 with it as `serializer_class` reads it."""
    case, _tiers = visible_case(request, reference)
    user, membership = acting(request)
    person = case_person_for(case, person_id)
    values = validated(serializer_class, request)
    record = subrecords.sub_record_add(kind, actor=user, membership=membership, person=person, values=values)
    return Response(serializer_class(record).data, status=status.HTTP_201_CREATED)


def _remove_part(request: Request, reference: str, record_id: int, kind: SubRecord) -> Response:
    """One sub-record of a person of the case removed: 204 (404 when it is not on this case)."""
    case, _tiers = visible_case(request, reference)
    user, membership = acting(request)
    record = person_part_for(kind.model, case, record_id)
    subrecords.sub_record_remove(kind, actor=user, membership=membership, record=record)
    return Response(status=status.HTTP_204_NO_CONTENT)


def _named(endpoint: type[APIView], name: str) -> type[APIView]:
    """The endpoint class under its own name, the one DRF shows for it."""
    endpoint.__name__ = endpoint.__qualname__ = name
    return endpoint


# The endpoints' classes carry no docstring: the schema would take it for the operation's description.
def _add_endpoint(
    name: str,
    kind: SubRecord,
    serializer_class: type[serializers.Serializer],
    summary: str,
    description: str | None = None,
) -> type[APIView]:
    """The POST endpoint adding one kind of sub-record to a person."""

    class Endpoint(APIView):
        palermo_roles = API_ROLES

        @extend_schema(
            summary=summary,
            description=description,
            request=serializer_class,
            responses={201: serializer_class, **WRITE_RESPONSES},
        )
        def post(self, request: Request, reference: str, person_id: int) -> Response:
            return _add_part(request, reference, person_id, kind, serializer_class)

    return _named(Endpoint, name)


def _remove_endpoint(name: str, kind: SubRecord, id_name: str, summary: str) -> type[APIView]:
    """The DELETE endpoint removing one sub-record, found by the URL's `id_name`."""

    class Endpoint(APIView):
        palermo_roles = API_ROLES

        @extend_schema(summary=summary, responses=REMOVE_RESPONSES)
        def delete(self, request: Request, reference: str, **ids: int) -> Response:
            return _remove_part(request, reference, ids[id_name], kind)

    return _named(Endpoint, name)


AliasList = _add_endpoint("AliasList", subrecords.ALIAS, AliasSerializer, "Add an alias")
AliasDetail = _remove_endpoint("AliasDetail", subrecords.ALIAS, "alias_id", "Remove an alias")
CitizenshipList = _add_endpoint(
    "CitizenshipList", subrecords.CITIZENSHIP, CitizenshipSerializer, "Add a citizenship"
)
CitizenshipDetail = _remove_endpoint(
    "CitizenshipDetail", subrecords.CITIZENSHIP, "citizenship_id", "Remove a citizenship"
)
LanguageList = _add_endpoint("LanguageList", subrecords.LANGUAGE, LanguageSerializer, "Add a language")
IdentityDocumentList = _add_endpoint(
    "IdentityDocumentList",
    subrecords.DOCUMENT,
    IdentityDocumentSerializer,
    "Add an identity document",
    "Type, number, issuing country, and who holds it: the person, the exploiter, the State.",
)


class LanguageDetail(CaseAction):
    method = "patch"
    summary = "Say whether an interpreter is needed in a language"
    input = LanguageChangeSerializer
    output = LanguageSerializer
    refusals = WRITE_RESPONSES
    service = subrecords.person_language_set_interpreter
    acts_on = "language"

    def target(self, case: Case, **ids: Any) -> Any:
        return person_part_for(PersonLanguage, case, ids["language_id"])

    @extend_schema(summary="Remove a language", responses=REMOVE_RESPONSES)
    def delete(self, request: Request, reference: str, language_id: int) -> Response:
        return _remove_part(request, reference, language_id, subrecords.LANGUAGE)


class IdentityDocumentDetail(CaseAction):
    method = "patch"
    summary = "Edit an identity document"
    description = "Change the fields given, stating the version read; if stale, 409 with the current one."
    input = IdentityDocumentEditSerializer
    output = IdentityDocumentSerializer
    refusals = {**WRITE_RESPONSES, 409: STALE}

    def target(self, case: Case, **ids: Any) -> Any:
        return person_part_for(IdentityDocument, case, ids["document_id"])

    def perform(self, user: Any, membership: Any, target: Any, data: dict[str, Any]) -> Any:
        version = data.pop("expected_version")
        return subrecords.identity_document_edit(
            actor=user, membership=membership, document=target, changes=data, expected_version=version
        )
