"""Partner NRMs in the API, for a system administrator (docs/decisions/0053): list, register, read one, make a
new shared secret, deactivate. The secret is in the body of the answer that made it (registration, a new
secret) and in no other answer; anyone else gets 404."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from palermo.accounts.active import acting
from palermo.cases.endpoints import validated
from palermo.cases.lists import ActingAgencyList
from palermo.cases.web import BAD_REQUEST
from palermo.core import iso
from palermo.core.api_errors import error_response, shows_current
from palermo.linkage.models import PartnerNRM
from palermo.linkage.partner_reads import partner_administered, partners_administered
from palermo.linkage.services.partners import (
    PARTNER_ADMINISTRATORS,
    SECRET_LENGTHS,
    partner_deactivate,
    partner_register,
    partner_rotate,
)

ROLES = frozenset(PARTNER_ADMINISTRATORS)
NOT_FOUND = error_response("No such partner, or the caller is not a system administrator (the same answer).")
CONFLICT = error_response("The partner changed after the version stated; `current` is the partner now.")
SECRET_HELP = (
    f"Agreed with the partner, {SECRET_LENGTHS[0]} to {SECRET_LENGTHS[1]} characters; leave out to have one "
    "made here, returned once in `secret`."
)


class PartnerNRMSerializer(serializers.ModelSerializer):
    """A partner as registered; never its secret."""

    active = serializers.SerializerMethodField()
    encoded = serializers.IntegerField(read_only=True, help_text="Our persons encoded under its secret.")
    questions = serializers.IntegerField(read_only=True, help_text="Questions asked both ways.")

    class Meta:
        model = PartnerNRM
        fields = [
            "id",
            "version",
            "name",
            "country",
            "contact",
            "url",
            "active",
            "created_at",
            "secret_changed_at",
            "revoked_at",
            "encoded",
            "questions",
        ]
        read_only_fields = fields

    def get_active(self, partner: PartnerNRM) -> bool:
        return partner.revoked_at is None


class PartnerNRMWithSecretSerializer(PartnerNRMSerializer):
    secret = serializers.CharField(read_only=True, help_text="The shared secret: shown in this answer only.")

    class Meta(PartnerNRMSerializer.Meta):
        fields = [*PartnerNRMSerializer.Meta.fields, "secret"]
        read_only_fields = fields


class PartnerNRMRegisterSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=120)
    country = serializers.ChoiceField(choices=iso.country_choices(), help_text="ISO 3166-1 alpha-3.")
    contact = serializers.CharField(max_length=300, help_text="Whom to contact for a formal request.")
    url = serializers.URLField(max_length=200, required=False, allow_blank=True, default="")
    secret = serializers.CharField(
        max_length=100, required=False, allow_blank=True, default="", write_only=True, help_text=SECRET_HELP
    )


class PartnerNRMRotateSerializer(serializers.Serializer):
    expected_version = serializers.IntegerField(min_value=1)
    secret = serializers.CharField(
        max_length=100, required=False, allow_blank=True, default="", write_only=True, help_text=SECRET_HELP
    )


class PartnerNRMDeactivateSerializer(serializers.Serializer):
    expected_version = serializers.IntegerField(min_value=1)


def _shown(request: Request, partner_id: int) -> Any:
    return PartnerNRMSerializer(partner_administered(acting(request).membership, partner_id)).data


def _with_secret(request: Request, partner: PartnerNRM) -> dict[str, Any]:
    """The partner as shown, and the secret just made: in this answer only."""
    return {**_shown(request, partner.pk), "secret": partner.secret}


class PartnerNRMList(ActingAgencyList):
    palermo_roles = ROLES
    summary = "Partner NRMs"
    refusals = {404: NOT_FOUND}
    serializer_class = PartnerNRMSerializer
    model = PartnerNRM
    rows = staticmethod(partners_administered)

    @extend_schema(
        summary="Register a partner NRM",
        description=(
            "Our persons are then encoded under the shared secret in the background. The answer carries the "
            "secret, once: give it to the partner by a secure channel."
        ),
        request=PartnerNRMRegisterSerializer,
        responses={201: PartnerNRMWithSecretSerializer, 400: BAD_REQUEST, 404: NOT_FOUND},
    )
    def post(self, request: Request) -> Response:
        user, membership = acting(request)
        partners_administered(membership)  # 404 for anyone else, before reading the body
        values = validated(PartnerNRMRegisterSerializer, request)
        partner = partner_register(actor=user, membership=membership, encode_now=False, **values)
        return Response(_with_secret(request, partner), status=status.HTTP_201_CREATED)


class PartnerNRMDetail(APIView):
    palermo_roles = ROLES

    @extend_schema(summary="One partner NRM", responses={200: PartnerNRMSerializer, 404: NOT_FOUND})
    def get(self, request: Request, partner_id: int) -> Response:
        return Response(_shown(request, partner_id))


# No docstring: drf-spectacular would show it as the description of each change.
class _PartnerChange(APIView):
    # A change stating the version read: the body checked by `incoming`, the change made by `change`, the
    # partner answered as it is now (with the new secret when `with_secret`); 409 with it when stale. A
    # subclass declares these, and its OpenAPI `summary` and `description`, as class keywords.
    palermo_roles = ROLES
    incoming: type[serializers.Serializer]
    change: Callable[..., PartnerNRM]
    with_secret = False

    def __init_subclass__(
        cls,
        *,
        summary: str,
        description: str,
        incoming: type[serializers.Serializer],
        change: Callable[..., PartnerNRM],
        with_secret: bool = False,
        **kwargs: Any,
    ) -> None:
        super().__init_subclass__(**kwargs)
        cls.incoming, cls.change, cls.with_secret = incoming, staticmethod(change), with_secret
        answer = PartnerNRMWithSecretSerializer if with_secret else PartnerNRMSerializer
        responses = {200: answer, 400: BAD_REQUEST, 404: NOT_FOUND, 409: CONFLICT}
        extend_schema(summary=summary, description=description, request=incoming, responses=responses)(cls)

    def post(self, request: Request, partner_id: int) -> Response:
        user, membership = acting(request)
        partner = partner_administered(membership, partner_id)
        values = validated(self.incoming, request)
        with shows_current(lambda row: _shown(request, row.pk)):
            changed = self.change(actor=user, membership=membership, partner=partner, **values)
        return Response(_with_secret(request, changed) if self.with_secret else _shown(request, changed.pk))


class PartnerNRMRotate(
    _PartnerChange,
    summary="Make a new shared secret for a partner NRM",
    description=(
        "The old secret stops working at once; our persons are encoded again under the new one in the "
        "background. The answer carries the new secret, once."
    ),
    incoming=PartnerNRMRotateSerializer,
    change=partner_rotate,
    with_secret=True,
):
    pass


class PartnerNRMDeactivate(
    _PartnerChange,
    summary="Deactivate a partner NRM",
    description="It may ask nothing more and is asked nothing more; its questions stay on the record.",
    incoming=PartnerNRMDeactivateSerializer,
    change=partner_deactivate,
):
    pass
