"""Deadline API routes, included under /api/v1/deadlines/."""

from palermo.core.routes import routes
from palermo.deadlines import api

urlpatterns: list = routes(
    "",
    [
        ("", api.DeadlineList, "api-deadlines"),
        ("counts/", api.DeadlineCounts, "api-deadline-counts"),
        ("by-case/", api.DeadlineCases, "api-deadline-cases"),
        ("<int:pk>/done/", api.DeadlineMarkDone, "api-deadline-mark-done"),
    ],
)
