"""Linkage screens: the tolerant person search. What is searched travels in the POST body."""

from django.utils.translation import gettext_lazy as _

from palermo.access.navigation import NavItem, register
from palermo.core.routes import routes
from palermo.linkage.views import search
from palermo.linkage.web import SEARCH_ROLES

app_name = "linkage"
urlpatterns: list = routes("", [("search/", search.person_search_view, "search")])

register(NavItem(_("Find a person"), "linkage:search", frozenset(SEARCH_ROLES)))
