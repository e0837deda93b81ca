"""The person search in the API: the same question and ranking as the page (docs/decisions/0042)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from palermo.access import limits
from palermo.accounts.active import acting
from palermo.core.api_errors import BAD_REQUEST, error_response
from palermo.linkage.keys import GRADE_SCORES
from palermo.linkage.matching import DATE_SCORES
from palermo.linkage.models import KeySource
from palermo.linkage.search import MAX_NAME, Result, clean_birth, person_search
from palermo.linkage.web import SEARCH_API_ROLES


class PersonSearchRequest(serializers.Serializer):
    name = serializers.CharField(max_length=MAX_NAME, help_text="Any names, any order, any script.")
    birth_year = serializers.IntegerField(required=False, allow_null=True, min_value=1)
    birth_month = serializers.IntegerField(required=False, allow_null=True, min_value=1, max_value=12)
    birth_day = serializers.IntegerField(required=False, allow_null=True, min_value=1, max_value=31)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        try:
            attrs["born"] = clean_birth(
                attrs.get("birth_year"), attrs.get("birth_month"), attrs.get("birth_day")
            )
        except ValidationError as error:
            raise serializers.ValidationError(error.message_dict) from None
        return attrs


class WordMatchSerializer(serializers.Serializer):
    word = serializers.CharField(help_text="The word of the question.")
    grade = serializers.ChoiceField(choices=sorted(GRADE_SCORES))
    source = serializers.ChoiceField(  # type: ignore[assignment]
        choices=[source.name.lower() for source in KeySource]
    )


class PersonFoundSerializer(serializers.Serializer):
    reference = serializers.CharField(help_text="The case the person is on.")
    score = serializers.FloatField(help_text="0 to 1; results come best first.")
    words = WordMatchSerializer(many=True)
    birth = serializers.ChoiceField(choices=sorted(DATE_SCORES), allow_null=True)
    reasons = serializers.ListField(child=serializers.CharField(), help_text="Why, in words.")
    other_cases = serializers.ListField(
        child=serializers.CharField(),
        help_text="The other cases of this person (records merged as one person) that you may read.",
    )


def result_body(result: Result) -> dict[str, Any]:
    return {
        "reference": result.reference,
        "score": result.score,
        "words": [
            {"word": m.word, "grade": m.grade, "source": KeySource(m.source).name.lower()}
            for m in result.hit.words
        ],
        "birth": result.hit.birth,
        "reasons": list(result.reasons),
        "other_cases": list(result.also),
    }


class PersonSearch(APIView):
    palermo_roles = SEARCH_API_ROLES

    @extend_schema(
        summary="Find a person (tolerant search)",
        description=(
            "Persons on cases whose identity (T2) the caller may read, whose names meet every word of `name` "
            "(any order, own script or Latin letters, other romanisations, one typo, same sound, same "
            "consonants), and whose birth date agrees with the parts given as far as both are known. "
            "Matched on keyed indexes only; at most 50, best first, each with why it matched. Rate-limited "
            "per person (429 with Retry-After) and recorded in the audit log with the references found."
        ),
        request=PersonSearchRequest,
        responses={
            200: PersonFoundSerializer(many=True),
            400: BAD_REQUEST,
            429: error_response("Too many searches by name by this caller; Retry-After says when."),
        },
    )
    def post(self, request: Request) -> Response:
        question = PersonSearchRequest(data=request.data)
        question.is_valid(raise_exception=True)
        limits.check(request, door="name_search")
        _, membership = acting(request)
        data = question.validated_data
        results = person_search(membership, name=data["name"], born=data["born"])  # type: ignore[index]
        return Response([result_body(result) for result in results])
