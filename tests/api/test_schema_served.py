"""/api/schema/ is served from memory: made once per site language (making it walks every endpoint, about
half a second of CPU), the same as the generator makes it, and a language nobody speaks here makes no new
copy."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse
from django.utils import translation
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.renderers import OpenApiJsonRenderer

from palermo.accounts.roles import Role
from palermo.core.api_schema_view import schema_in, site_language

pytestmark = pytest.mark.django_db

URL = reverse("api-schema")


def fresh_schema(language: str) -> dict:
    """The schema the generator makes now, in `language`, as JSON serves it."""
    with translation.override(language):
        made = SchemaGenerator().get_schema(request=None, public=True)
    return json.loads(OpenApiJsonRenderer().render(made))


@pytest.fixture
def client(client_for, make_member):
    return client_for(make_member(Role.CASE_MANAGER))


@pytest.fixture
def generations(monkeypatch):
    """How many times the schema is made while the test runs, from an empty store."""
    made: list[int] = []
    make = SchemaGenerator.get_schema

    def counted(self, *args, **kwargs):
        made.append(1)
        return make(self, *args, **kwargs)

    monkeypatch.setattr(SchemaGenerator, "get_schema", counted)
    schema_in.cache_clear()
    yield made
    schema_in.cache_clear()


def test_the_schema_is_made_once_and_served_as_the_generator_makes_it(client, generations):
    first = client.get(URL, {"format": "json"})
    again = client.get(URL, {"format": "json"})
    yaml = client.get(URL)  # the default format, from the same copy
    assert first.status_code == again.status_code == yaml.status_code == 200 and len(generations) == 1
    assert b"openapi: 3" in yaml.content
    assert first["Content-Disposition"].startswith('inline; filename="Palermo API')
    assert first.json() == again.json() == fresh_schema("en")


def test_each_language_is_made_once_and_an_unknown_one_is_served_in_the_default(client, generations):
    arabic = client.get(URL, {"format": "json", "lang": "ar"})
    assert arabic.status_code == 200 and len(generations) == 1
    unknown = client.get(URL, {"format": "json", "lang": "zz-unknown"})
    english = client.get(URL, {"format": "json", "lang": "en"})
    assert unknown.json() == english.json() and len(generations) == 2
    assert schema_in.cache_info().currsize == 2


def test_a_region_or_an_unknown_code_is_kept_as_a_site_language():
    assert site_language("ar-EG") == "ar"
    assert site_language("zz") == site_language(None) == "en"


def test_the_schema_is_for_members_only(client_for, make_user):
    assert client_for(make_user()).get(URL).status_code in (302, 403, 404)
