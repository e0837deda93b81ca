"""Partner NRMs in the API, for a system administrator (docs/decisions/0053): list, register, read one, make a
new shared secret, deactivate. The secret is in the body of the answer that made it (registration, a new
secret) and in no other answer; anyone else gets 404."""

from __future__ import annotations

from typing import Any, ClassVar

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from palermo.accounts.active import acting
from palermo.accounts.endpoints import ActingAction
from palermo.cases.lists import ActingAgencyList
from palermo.core import iso
from palermo.core.api_errors import BAD_REQUEST, error_response
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


# No docstring: drf-spectacular would show it as the description of each change.
class PartnerWrite(ActingAction):
    # A write of a system administrator's (404 for anyone else, before the body is read), answered with the
    # partner as it is now, and with the secret just made where `with_secret`; 409 with it when stale.
    palermo_roles = ROLES
    with_secret: ClassVar[bool] = False

    def target(self, request: Request, **ids: Any) -> Any:
        membership = acting(request).membership
        if "partner_id" in ids:
            return partner_administered(membership, ids["partner_id"])
        partners_administered(membership)
        return None

    def answer(self, request: Request, result: Any) -> Any:
        return _with_secret(request, result) if self.with_secret else _shown(request, result.pk)

    def current(self, request: Request, row: Any) -> Any:
        return _shown(request, row.pk)


class PartnerNRMRegister(PartnerWrite):
    """Register a partner NRM

    Our persons are then encoded under the shared secret in the background. The answer carries the
    secret, once: give it to the partner by a secure channel."""

    input = PartnerNRMRegisterSerializer
    output = PartnerNRMWithSecretSerializer
    refusals = {400: BAD_REQUEST, 404: NOT_FOUND}
    created = True
    with_secret = True

    def perform(self, request: Request, target: Any, data: dict[str, Any]) -> Any:
        return partner_register(**self.acting_as(request), encode_now=False, **data)


class PartnerNRMRotate(PartnerWrite):
    """Make a new shared secret for a partner NRM

    The old secret stops working at once; our persons are encoded again under the new one in the
    background. The answer carries the new secret, once."""

    input = PartnerNRMRotateSerializer
    output = PartnerNRMWithSecretSerializer
    refusals = {400: BAD_REQUEST, 404: NOT_FOUND, 409: CONFLICT}
    service = partner_rotate
    with_secret = True


class PartnerNRMDeactivate(PartnerWrite):
    """Deactivate a partner NRM

    It may ask nothing more and is asked nothing more; its questions stay on the record."""

    input = PartnerNRMDeactivateSerializer
    output = PartnerNRMSerializer
    refusals = {400: BAD_REQUEST, 404: NOT_FOUND, 409: CONFLICT}
    service = partner_deactivate


class PartnerNRMList(ActingAgencyList):
    palermo_roles = ROLES
    summary = "Partner NRMs"
    refusals = {404: NOT_FOUND}
    serializer_class = PartnerNRMSerializer
    model = PartnerNRM
    rows = staticmethod(partners_administered)

    post = PartnerNRMRegister.lent()


class PartnerNRMDetail(APIView):
    palermo_roles = ROLES

    @extend_schema(summary="One partner NRM", responses={200: PartnerNRMSerializer, 404: NOT_FOUND})
    def get(self, request: Request, partner_id: int) -> Response:
        return Response(_shown(request, partner_id))
