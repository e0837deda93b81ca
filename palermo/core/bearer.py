"""What the API's bearer authentications of other systems share (a partner NRM's signature, a client system's
token): the credential read from the `Authorization` header, and the principal that acts for a system, never
for a staff account."""

from __future__ import annotations

from typing import Any

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework.authentication import BaseAuthentication, get_authorization_header
from rest_framework.request import Request


class SystemPrincipal:
    """Who acts on a request another system authenticated: not a person, so no account (`pk` None)."""

    is_authenticated = True
    is_anonymous = False
    pk = None

    def __init__(self, described: str) -> None:
        self.described = described

    def __str__(self) -> str:
        return self.described


class BearerAuthentication(BaseAuthentication):
    """A bearer authentication of another system; `realm` names it in a refusal's `WWW-Authenticate`."""

    realm = "api"

    def authenticate_header(self, request: Request) -> str:
        return f'Bearer realm="{self.realm}"'


def bearer_words(request: Request) -> list[bytes] | None:
    """The words after `Bearer` in the request's `Authorization` header (one, when well formed); None when it
    names no bearer credential, so that another authentication may answer."""
    parts = get_authorization_header(request).split()
    if not parts or parts[0].lower() != b"bearer":
        return None
    return parts[1:]


class BearerScheme(OpenApiAuthenticationExtension):
    """A bearer authentication's security scheme in the OpenAPI document: a subclass names the authentication
    (`target_class`), the scheme's `name` and what the credential is (`description`)."""

    description = ""

    def get_security_definition(self, auto_schema: Any) -> dict[str, str]:
        return {"type": "http", "scheme": "bearer", "description": self.description}
