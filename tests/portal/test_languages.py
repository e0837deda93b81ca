"""Languages (issue 22, item 4, docs/decisions/0047): the public languages are enabled, right-to-left where
due, without changing the staff interface's switcher; and the rulebook decides which language staff see
first."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from django.conf import settings
from django.utils.translation import get_language_info

from palermo.core import middleware
from palermo.core.rulebooks import rulebook

pytestmark = pytest.mark.django_db


def test_every_public_language_is_enabled_and_right_to_left_where_due():
    enabled = dict(settings.LANGUAGES)
    assert set(settings.PUBLIC_LANGUAGES) <= set(enabled)
    assert set(settings.STAFF_LANGUAGES) <= set(enabled)
    assert {code for code in settings.PUBLIC_LANGUAGES if get_language_info(code)["bidi"]} == {
        "ar",
        "fa",
        "ur",
    }
    assert get_language_info("ti")["name_local"] == "ትግርኛ"


def test_the_staff_switcher_offers_the_staff_languages_only(client):
    html = client.get("/accounts/login/").content.decode()
    offered = {code for code in settings.LANGUAGES if f'<option value="{code[0]}"' in html}
    assert {code for code, _name in offered} == set(settings.STAFF_LANGUAGES)


def test_every_shipped_rulebook_opens_the_staff_interface_in_a_staff_language():
    assert rulebook().languages.staff_first in settings.STAFF_LANGUAGES


@pytest.fixture
def arabic_first(monkeypatch):
    book = SimpleNamespace(languages=SimpleNamespace(staff_first="ar"))
    monkeypatch.setattr(middleware, "rulebook", lambda: book)


def test_the_rulebook_decides_the_staff_language_until_the_person_or_browser_chooses(client, arabic_first):
    assert '<html lang="ar"' in client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="").content.decode()
    assert '<html lang="en"' in client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="en-GB").content.decode()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    assert '<html lang="en"' in client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="").content.decode()
