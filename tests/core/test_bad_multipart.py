"""A multipart body that cannot be read is a 4xx, never a server error, on every route, for a role that may
use it and for one that may not (issue 15, item 7): the CSRF check of the 404 page used to parse it outside
any view and fail with a 500."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from palermo.accounts.roles import Role
from tests.api.errors import api_error
from tests.cases.casework import team_case
from tests.test_urls import ROUTES, url_of

pytestmark = pytest.mark.django_db

# Signing out would end the session the walk goes on with.
WALKED = [route for route in ROUTES if route.name != "accounts:logout"]
NO_BOUNDARY = [
    "multipart/form-data",
    "multipart/form-data; boundary=",
    'multipart/form-data; boundary="a b?"',
]
BODY = b"--x\r\nContent-Disposition: form-data; name=a\r\n\r\n1\r\n--x--\r\n"


def browser_like(client: Client) -> Client:
    """CSRF checks on, with the cookie a browser would hold after any page, as the probe sent them."""
    client.handler.enforce_csrf_checks = True
    client.raise_request_exception = False
    client.get(reverse("core:home"))  # signed in: the sign-out form sets it
    if "csrftoken" not in client.cookies:
        client.get(reverse("accounts:login"))
    assert "csrftoken" in client.cookies
    return client


def walk(client: Client, content_type: str) -> list[str]:
    token = client.cookies["csrftoken"].value
    failures = []
    for route in WALKED:
        response = client.post(url_of(route), BODY, content_type=content_type, HTTP_X_CSRFTOKEN=token)
        if response.status_code >= 500:
            failures.append(f"{route} {content_type!r}: {response.status_code}")
    return failures


# One walk per role and kind of broken header, so that the walks spread over the test workers.
@pytest.mark.parametrize("content_type", NO_BOUNDARY)
@pytest.mark.parametrize("role", [Role.RAPPORTEUR, Role.CASE_MANAGER, Role.SERVICE_PROVIDER])
def test_no_route_answers_a_server_error_to_a_member(role, content_type, make_member, client_for):
    member = make_member(role)
    assert walk(browser_like(client_for(member)), content_type) == []


@pytest.mark.parametrize("content_type", NO_BOUNDARY)
def test_no_route_answers_a_server_error_before_sign_in(content_type):
    assert walk(browser_like(Client()), content_type) == []


def test_a_page_the_role_may_not_use_answers_400(make_member, client_for, manager):
    case = team_case(manager)
    client = browser_like(client_for(make_member(Role.RAPPORTEUR)))
    url = reverse("cases:documents", args=[case.reference])
    response = client.post(url, BODY, content_type="multipart/form-data; boundary=")
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/html")


def test_an_upload_the_role_may_use_answers_400_and_saves_nothing(client_for, manager):
    case = team_case(manager)
    client = browser_like(client_for(manager))
    url = reverse("cases:documents", args=[case.reference])
    response = client.post(url, BODY, content_type="multipart/form-data")
    assert response.status_code == 400
    assert not case.documents.exists()


def test_the_api_answers_400_in_the_error_shape(client_for, manager):
    case = team_case(manager)
    client = client_for(manager)
    url = reverse("api-case-documents", args=[case.reference])
    api_error(client.post(url, BODY, content_type="multipart/form-data; boundary="), 400, "malformed")
