"""What the bearer authentications of other systems share (core.bearer)."""

from __future__ import annotations

from django.test import RequestFactory
from rest_framework.request import Request

from palermo.core.bearer import BearerAuthentication, SystemPrincipal, bearer_words


def _request(**headers: str) -> Request:
    return Request(RequestFactory().get("/api/v1/", **headers))


def test_the_words_after_bearer() -> None:
    assert bearer_words(_request(HTTP_AUTHORIZATION="Bearer 12.abc")) == [b"12.abc"]
    assert bearer_words(_request(HTTP_AUTHORIZATION="bearer one two")) == [b"one", b"two"]


def test_no_bearer_credential_leaves_the_request_to_another_authentication() -> None:
    assert bearer_words(_request()) is None
    assert bearer_words(_request(HTTP_AUTHORIZATION="Basic dXNlcjpwdw==")) is None


def test_a_system_principal_is_no_person() -> None:
    principal = SystemPrincipal("partner NRM 7")
    assert principal.is_authenticated and not principal.is_anonymous
    assert principal.pk is None
    assert str(principal) == "partner NRM 7"


def test_a_refusal_names_the_realm() -> None:
    class Partners(BearerAuthentication):
        realm = "partners"

    assert Partners().authenticate_header(_request()) == 'Bearer realm="partners"'
