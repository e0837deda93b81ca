"""Bad input is a 400, never a server error: NUL bytes in the path or the query string (PostgreSQL refuses
them in any text value), and JSON nested deeper than the decoder can recurse."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse

from palermo.core.api_parsers import MAX_DEPTH
from tests.api.errors import api_error
from tests.cases.casework import team_case

pytestmark = pytest.mark.django_db


@pytest.fixture
def client(client_for, manager):
    team_case(manager)
    return client_for(manager)


@pytest.mark.parametrize(
    "url",
    [
        lambda: reverse("cases:search") + "?reference=NRM%00&status=open",
        lambda: reverse("cases:detail", args=["NRM-%00"]).replace("%25", "%"),
        lambda: "/cases/%00/",
    ],
)
def test_a_nul_byte_in_a_page_url_is_a_400_page(client, url):
    response = client.get(url())
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/html")


@pytest.mark.parametrize(
    "url",
    [
        lambda: reverse("api-cases") + "?phase=reflection%00",
        lambda: reverse("api-cases") + "?reference=%00",
        lambda: reverse("api-case", args=["NRM-%00"]).replace("%25", "%"),
    ],
)
def test_a_nul_byte_in_an_api_url_is_a_400_in_the_error_shape(client, url):
    api_error(client.get(url()), 400, "malformed")


def test_a_nul_byte_is_refused_before_sign_in_too(db):
    from django.test import Client

    api_error(Client().get(reverse("api-cases") + "?x=%00"), 400, "malformed")
    assert Client().get("/cases/%00").status_code == 400


def search(client, body: str):
    return client.post(reverse("api-cases-search"), body, content_type="application/json")


@pytest.mark.parametrize("depth", [10_000, 100_000])
def test_json_nested_beyond_the_recursion_limit_is_a_400(client, depth):
    error = api_error(search(client, "[" * depth + "]" * depth), 400, "malformed")
    assert "[" not in error["message"]


def test_json_nested_beyond_the_limit_is_a_400_even_when_python_could_decode_it(client):
    body = {"name": "Ana"}
    for _ in range(MAX_DEPTH):
        body = {"name": body}  # type: ignore[dict-item]
    api_error(search(client, json.dumps(body)), 400, "malformed")


def test_json_within_the_limit_is_read(client):
    response = search(client, json.dumps({"name": "Ana Petrova"}))
    assert response.status_code == 200, response.content[:300]
