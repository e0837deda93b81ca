"""A partner NRM's requests: `Authorization: Bearer <partner id>.<HMAC-SHA256 of the body under the shared
secret>`. An unknown or revoked partner or a wrong signature is refused with 401; `request.auth` is the
partner (docs/decisions/0043)."""

from __future__ import annotations

import hmac
from typing import Any

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication, get_authorization_header
from rest_framework.request import Request

from palermo.linkage.models import PartnerNRM
from palermo.linkage.services.partners import sign


class PartnerPrincipal:
    is_authenticated = True
    is_anonymous = False

    def __init__(self, partner: PartnerNRM) -> None:
        self.partner = partner
        self.pk = None

    def __str__(self) -> str:
        return f"partner NRM {self.partner.pk}"


class PartnerSignatureAuthentication(BaseAuthentication):
    def authenticate(self, request: Request) -> tuple[PartnerPrincipal, PartnerNRM] | None:
        parts = get_authorization_header(request).split()
        if not parts or parts[0].lower() != b"bearer":
            return None
        refused = exceptions.AuthenticationFailed("Unknown partner or wrong signature.")
        if len(parts) != 2:
            raise refused
        identifier, _dot, signature = parts[1].decode("ascii", "replace").partition(".")
        partner = (
            PartnerNRM.objects.filter(pk=int(identifier), revoked_at__isnull=True).first()
            if identifier.isdigit()
            else None
        )
        if partner is None or not hmac.compare_digest(sign(partner.secret, request.body), signature):
            raise refused
        return PartnerPrincipal(partner), partner

    def authenticate_header(self, request: Request) -> str:
        return 'Bearer realm="partners"'


class PartnerSignatureScheme(OpenApiAuthenticationExtension):
    target_class = "palermo.linkage.authentication.PartnerSignatureAuthentication"
    name = "partnerSignature"

    def get_security_definition(self, auto_schema: Any) -> dict[str, str]:
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "<partner id>.<hex HMAC-SHA256 of the body under the shared secret>",
        }
