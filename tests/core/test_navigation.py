"""Role-aware navigation: every entry a role sees opens for it, and no entry outruns its view."""

from __future__ import annotations

import pytest
from django.urls import reverse

from palermo.access import navigation
from palermo.access.navigation import NavItem, navigation_for
from palermo.accounts.roles import Role

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_menus():
    """Menus are cached per role; a test that changes the entries must not leave its menus behind."""
    navigation_for.cache_clear()
    yield
    navigation_for.cache_clear()


@pytest.mark.parametrize("role", list(Role))
def test_every_entry_shown_to_a_role_opens_for_it(role, verified_client):
    client = verified_client(role)
    home = client.get(reverse("core:home"))
    entries = home.context["navigation"]
    assert entries, f"{role} sees no navigation"
    for entry in entries:
        assert client.get(entry["url"]).status_code == 200, f"{role}: {entry['name']}"


def test_directory_entry_only_for_administrators():
    assert "core:directory" in [e["name"] for e in navigation_for(Role.SYSTEM_ADMINISTRATOR)]
    for role in set(Role) - {Role.SYSTEM_ADMINISTRATOR}:
        assert "core:directory" not in [e["name"] for e in navigation_for(role)]


def test_an_entry_wider_than_its_view_is_not_shown(monkeypatch):
    too_wide = NavItem("Directory for all", "core:directory", frozenset(Role))
    monkeypatch.setattr(navigation, "NAVIGATION", [*navigation.NAVIGATION, too_wide])
    navigation_for.cache_clear()  # the menu is worked out once per role
    assert "Directory for all" not in [e["label"] for e in navigation_for(Role.CASE_MANAGER)]
    assert "Directory for all" in [e["label"] for e in navigation_for(Role.SYSTEM_ADMINISTRATOR)]


def test_nobody_without_a_role_gets_navigation():
    assert navigation_for(None) == ()


def test_a_registered_entry_reaches_the_cached_menu(monkeypatch):
    monkeypatch.setattr(navigation, "NAVIGATION", list(navigation.NAVIGATION))
    before = navigation_for(Role.SYSTEM_ADMINISTRATOR)
    navigation.register(NavItem("Agencies again", "core:directory", frozenset({Role.SYSTEM_ADMINISTRATOR})))
    after = navigation_for(Role.SYSTEM_ADMINISTRATOR)
    assert "Agencies again" in [e["label"] for e in after] and len(after) == len(before) + 1


def test_the_menu_marks_the_page_it_opens_and_no_other(verified_client):
    client = verified_client(Role.CASE_MANAGER)
    home = client.get(reverse("core:home")).content.decode()
    assert f'href="{reverse("core:home")}" aria-current="page"' in home
    search = client.get(reverse("cases:search")).content.decode()
    assert f'href="{reverse("cases:search")}" aria-current="page"' in search
    assert f'href="{reverse("core:home")}" aria-current="page"' not in search


def test_the_menu_is_rendered_in_the_reader_s_language(verified_client):
    client = verified_client(Role.CASE_MANAGER)
    client.cookies["django_language"] = "ar"
    arabic = client.get(reverse("core:home"), HTTP_ACCEPT_LANGUAGE="ar").content.decode()
    client.cookies["django_language"] = "en"
    english = client.get(reverse("core:home"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'lang="ar"' in arabic and ">Home</a>" in english and ">Home</a>" not in arabic
