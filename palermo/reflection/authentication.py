"""Token authentication for client systems, used by the non-removal look-up endpoint only.

A client sends `Authorization: Bearer <token>`. An unknown or revoked token is refused with 401; a request
without that header falls through to the session (a migration officer signed in). The authenticated "user" of
a client request is a `ClientPrincipal`, never a staff account, and `request.auth` is the LookupClient.
"""

from __future__ import annotations

from typing import Any

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication, get_authorization_header
from rest_framework.request import Request

from palermo.reflection.models import LookupClient
from palermo.reflection.services.clients import client_for_token

KEYWORD = b"bearer"


class ClientPrincipal:
    """Who is acting on a token request: a client system, not a person."""

    is_authenticated = True
    is_anonymous = False

    def __init__(self, client: LookupClient) -> None:
        self.client = client
        self.pk = None

    def __str__(self) -> str:
        return f"client system {self.client.pk}"


class LookupTokenAuthentication(BaseAuthentication):
    def authenticate(self, request: Request) -> tuple[ClientPrincipal, LookupClient] | None:
        parts = get_authorization_header(request).split()
        if not parts or parts[0].lower() != KEYWORD:
            return None
        if len(parts) != 2:
            raise exceptions.AuthenticationFailed("Send one token: Authorization: Bearer <token>.")
        try:
            token = parts[1].decode("ascii")
        except UnicodeDecodeError:
            raise exceptions.AuthenticationFailed("Unknown or revoked token.") from None
        client = client_for_token(token)
        if client is None:
            raise exceptions.AuthenticationFailed("Unknown or revoked token.")
        return ClientPrincipal(client), client

    def authenticate_header(self, request: Request) -> str:
        return 'Bearer realm="api"'


class LookupTokenScheme(OpenApiAuthenticationExtension):
    target_class = "palermo.reflection.authentication.LookupTokenAuthentication"
    name = "lookupToken"

    def get_security_definition(self, auto_schema: Any) -> dict[str, str]:
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "A client system's token (`palermo lookup_client add`), shown once.",
        }
