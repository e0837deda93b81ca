"""Role-aware navigation as data: an entry shows only to the roles that may open its page (access owns it:
the view declarations in palermo.access.declare have the last word on who sees an entry)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from django.template.loader import render_to_string
from django.urls import NoReverseMatch, resolve, reverse
from django.utils.functional import Promise
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _

from palermo.access.declare import ANY_MEMBER, PUBLIC, SIGNED_IN, declared_roles
from palermo.accounts.roles import ADMINISTRATORS, Role


@dataclass(frozen=True)
class NavItem:
    label: str | Promise
    url_name: str
    roles: frozenset[Role]


NAVIGATION: list[NavItem] = [
    NavItem(_("Home"), "core:home", ANY_MEMBER),
    NavItem(_("Agencies and users"), "core:directory", frozenset({Role.SYSTEM_ADMINISTRATOR})),
    NavItem(_("Staff administration"), "accounts:administration", frozenset(ADMINISTRATORS)),
    NavItem(_("API"), "api-docs", ANY_MEMBER),
]


def register(item: NavItem) -> None:
    """Apps add their entries at import time of their urls module."""
    if item not in NAVIGATION:
        NAVIGATION.append(item)
        navigation_for.cache_clear()
        navigation_links.cache_clear()


def _view_allows(url: str, role: str) -> bool:
    """The page's own declaration has the last word, so a menu entry cannot drift from its view."""
    roles = declared_roles(resolve(url).func)
    return roles in (PUBLIC, SIGNED_IN) or (isinstance(roles, frozenset) and role in roles)


@cache
def navigation_for(role: str | None) -> tuple[dict[str, str | Promise], ...]:
    """The menu for a role, worked out once per role (labels stay lazy, so each request gets its language)."""
    if role is None:
        return ()
    entries = []
    for item in NAVIGATION:
        if role not in item.roles:
            continue
        try:
            url = reverse(item.url_name)
        except NoReverseMatch:
            continue
        if _view_allows(url, role):
            entries.append({"label": item.label, "url": url, "name": item.url_name})
    return tuple(entries)


@cache
def navigation_links(role: str | None, language: str, current: str) -> SafeString:
    """The menu's links as HTML, rendered once per role, language and current entry (`current`: the URL of
    the entry being shown, or ''), since every page of every user shows one of a handful of menus."""
    context = {"navigation": navigation_for(role), "current": current}
    return mark_safe(render_to_string("core/navigation_links.html", context))  # noqa: S308 (our template)


def current_entry(role: str | None, path: str) -> str:
    """The URL of the menu entry this path opens, or '' (a case page, say, is under no entry of its own)."""
    return next((str(item["url"]) for item in navigation_for(role) if item["url"] == path), "")
