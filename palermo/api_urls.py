"""REST API v1: each app contributes its routes here; the same services and selectors as the UI."""

from django.urls import include, path

from palermo.accounts import api as accounts_api
from palermo.audit import api as audit_api

urlpatterns = [
    path("me/", accounts_api.MeView.as_view(), name="api-me"),
    path("notices/", accounts_api.NoticeList.as_view(), name="api-notices"),
    path("notices/read/", accounts_api.NoticesReadAll.as_view(), name="api-notices-read-all"),
    path("notices/<int:notice_id>/read/", accounts_api.NoticeRead.as_view(), name="api-notice-read"),
    path("administration/", include("palermo.accounts.api_urls")),
    path("audit/events/", audit_api.AuditEventList.as_view(), name="api-audit-events"),
    path("", include("palermo.cases.api_urls")),
    path("identification/", include("palermo.identification.api_urls")),
    path("access/", include("palermo.access.api_urls")),
    path("deadlines/", include("palermo.deadlines.api_urls")),
    path("reflection/", include("palermo.reflection.api_urls")),
    path("residence/", include("palermo.residence.api_urls")),
    path("assistance/", include("palermo.assistance.api_urls")),
    path("children/", include("palermo.children.api_urls")),
    path("returns/", include("palermo.returns.api_urls")),
    path("anonymous/", include("palermo.anonymous.api_urls")),
    path("statistics/", include("palermo.statistics.api_urls")),
    path("exchange/", include("palermo.exchange.api_urls")),
    path("linkage/", include("palermo.linkage.api_urls")),
    path("origin/", include("palermo.origin.api_urls")),
    path("justice/", include("palermo.justice.api_urls")),
    path("portal/", include("palermo.portal.api_urls")),
    path("privacy/", include("palermo.privacy.api_urls")),
]
