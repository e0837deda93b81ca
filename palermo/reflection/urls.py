"""Reflection period screens: the case page section and the endpoints its forms post to (the forms themselves
are served folded by `cases:form`), and the non-removal look-up. Case references only in URLs; what a look-up
asks about travels in the POST body."""

from django.utils.translation import gettext_lazy as _

from palermo.access.navigation import NavItem, register
from palermo.core.routes import REFERENCE, routes
from palermo.reflection.views import lookup, section

app_name = "reflection"
urlpatterns: list = routes(
    "",
    [
        ("lookup/", lookup.removal_lookup_view, "lookup"),
    ],
) + routes(
    REFERENCE,
    [
        ("", section.reflection_section, "section"),
        ("extend/", section.period_extend_view, "extend"),
        ("end/", section.period_end_view, "end"),
        ("entitlements/<slug:kind>/", section.entitlement_view, "entitlement"),
    ],
)

register(NavItem(_("Removal check"), "reflection:lookup", frozenset(lookup.LOOKUP_ROLES)))
