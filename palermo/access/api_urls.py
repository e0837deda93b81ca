"""Access API routes, included under /api/v1/access/."""

from django.urls import path

from palermo.access import api

urlpatterns = [
    path("break-glass/", api.BreakGlassOpen.as_view(), name="api-break-glass-open"),
    path("break-glass/grants/", api.BreakGlassReport.as_view(), name="api-break-glass-grants"),
    path(
        "break-glass/grants/<int:grant_id>/review/",
        api.BreakGlassReview.as_view(),
        name="api-break-glass-review",
    ),
    path("cases/<str:reference>/team/", api.CaseTeam.as_view(), name="api-case-team"),
    path("cases/<str:reference>/team/remove/", api.CaseTeamRemove.as_view(), name="api-case-team-remove"),
]
