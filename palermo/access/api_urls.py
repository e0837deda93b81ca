"""Access API routes, included under /api/v1/access/."""

from palermo.access import api
from palermo.core.routes import CASE, routes

urlpatterns = routes(
    "",
    [
        ("break-glass/", api.BreakGlassOpen, "api-break-glass-open"),
        ("break-glass/grants/", api.BreakGlassReport, "api-break-glass-grants"),
        ("break-glass/grants/<int:grant_id>/review/", api.BreakGlassReview, "api-break-glass-review"),
    ],
) + routes(
    CASE,
    [
        ("team/", api.CaseTeam, "api-case-team"),
        ("team/remove/", api.CaseTeamRemove, "api-case-team-remove"),
    ],
)
