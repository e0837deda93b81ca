"""Reflection period screens: the case page section and the endpoints its forms post to (the forms themselves
are served folded by `cases:form`), and the non-removal look-up. Case references only in URLs; what a look-up
asks about travels in the POST body."""

from django.urls import path
from django.utils.translation import gettext_lazy as _

from palermo.access.navigation import NavItem, register
from palermo.reflection.views import lookup, section

app_name = "reflection"
urlpatterns: list = [
    path("lookup/", lookup.removal_lookup_view, name="lookup"),
    # Routes by case reference below; add fixed one-segment routes above.
    path("<str:reference>/", section.reflection_section, name="section"),
    path("<str:reference>/extend/", section.period_extend_view, name="extend"),
    path("<str:reference>/end/", section.period_end_view, name="end"),
    path("<str:reference>/entitlements/<slug:kind>/", section.entitlement_view, name="entitlement"),
]

register(NavItem(_("Removal check"), "reflection:lookup", frozenset(lookup.LOOKUP_ROLES)))
