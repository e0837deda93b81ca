"""The URLconf. Every view declares who may use it (palermo.access.declare); tests walk this whole tree."""

from django.urls import include, path
from django.views.i18n import set_language
from drf_spectacular.views import SpectacularSwaggerView

from palermo.access.declare import any_member, public
from palermo.accounts import views as accounts_views
from palermo.core import views as core_views
from palermo.core.api_schema_view import SchemaView
from palermo.portal import urls as portal_urls

# The front door (namespace "core"): each role's home page and the directory are accounts' pages; the health
# check is core's, declared public here because core imports no domain app.
front_door = [
    path("", accounts_views.home, name="home"),
    path("directory/", accounts_views.directory, name="directory"),
    path("health/", public(core_views.health), name="health"),
    path("ready/", public(core_views.ready), name="ready"),
    path("metrics", public(core_views.metrics), name="metrics"),
    path("regions/", any_member(core_views.regions), name="regions"),
]

urlpatterns = [
    path("", include((front_door, "core"))),
    path("accounts/", include("palermo.accounts.urls")),
    path("audit/", include("palermo.audit.urls")),
    path("cases/", include("palermo.cases.urls")),
    path("identification/", include("palermo.identification.urls")),
    path("access/", include("palermo.access.urls")),
    path("deadlines/", include("palermo.deadlines.urls")),
    path("reflection/", include("palermo.reflection.urls")),
    path("residence/", include("palermo.residence.urls")),
    path("assistance/", include("palermo.assistance.urls")),
    path("children/", include("palermo.children.urls")),
    path("linkage/", include("palermo.linkage.urls")),
    path("returns/", include("palermo.returns.urls")),
    path("anonymous/", include("palermo.anonymous.urls")),
    path("statistics/", include("palermo.statistics.urls")),
    path("exchange/", include("palermo.exchange.urls")),
    path("origin/", include("palermo.origin.urls")),
    path("justice/", include("palermo.justice.urls")),
    # The public portal (anonymous pages, docs/portal.md) and its duty workers' pages.
    path("help/", include(portal_urls)),
    path("portal/", include((portal_urls.staff_urlpatterns, "portal_staff"))),
    path("privacy/", include("palermo.privacy.urls")),
    path("i18n/setlang/", public(set_language), name="set_language"),
    path("api/v1/", include("palermo.api_urls")),
    # Served from memory, once made per language (palermo.core.api_schema_view).
    path("api/schema/", any_member(SchemaView.as_view()), name="api-schema"),
    path("api/docs/", any_member(SpectacularSwaggerView.as_view(url_name="api-schema")), name="api-docs"),
]
# The API answers its one error shape for a path or a role it does not know (palermo.core.api_errors).
handler404 = "palermo.core.api_errors.not_found"
# A server error in the same shape under /api/; 503 with Retry-After when the database could not be reached.
handler500 = "palermo.core.api_errors.server_error"
