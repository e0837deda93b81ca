"""A partner NRM's requests: `Authorization: Bearer <partner id>.<HMAC-SHA256 of the body under the shared
secret>`. An unknown or revoked partner or a wrong signature is refused with 401; `request.auth` is the
partner (docs/decisions/0043)."""

from __future__ import annotations

import hmac

from rest_framework import exceptions
from rest_framework.request import Request

from palermo.core.bearer import BearerAuthentication, BearerScheme, SystemPrincipal, bearer_words
from palermo.linkage.models import PartnerNRM
from palermo.linkage.services.partners import sign


class PartnerPrincipal(SystemPrincipal):
    def __init__(self, partner: PartnerNRM) -> None:
        super().__init__(f"partner NRM {partner.pk}")
        self.partner = partner


class PartnerSignatureAuthentication(BearerAuthentication):
    realm = "partners"

    def authenticate(self, request: Request) -> tuple[PartnerPrincipal, PartnerNRM] | None:
        words = bearer_words(request)
        if words is None:
            return None
        refused = exceptions.AuthenticationFailed("Unknown partner or wrong signature.")
        if len(words) != 1:
            raise refused
        identifier, _dot, signature = words[0].decode("ascii", "replace").partition(".")
        partner = (
            PartnerNRM.objects.filter(pk=int(identifier), revoked_at__isnull=True).first()
            if identifier.isdigit()
            else None
        )
        if partner is None or not hmac.compare_digest(sign(partner.secret, request.body), signature):
            raise refused
        return PartnerPrincipal(partner), partner


class PartnerSignatureScheme(BearerScheme):
    target_class = "palermo.linkage.authentication.PartnerSignatureAuthentication"
    name = "partnerSignature"
    description = "<partner id>.<hex HMAC-SHA256 of the body under the shared secret>"
